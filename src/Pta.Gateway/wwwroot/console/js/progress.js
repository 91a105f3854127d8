// Progress bars for one broadcast, drawn from a 'progress' event of /events: how far the send is (sent, deferred,
// bounced over recipients) and how many households confirmed. Bars are role=progressbar with their value in words,
// so a screen reader hears the same figures the bar shows; the colours are never the only carrier of meaning.
import { el } from './dom.js';
import { t, formatNumber } from './i18n.js';

function percent(part, whole) {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0;
}

function segment(kind, part, whole) {
  const node = el('span', { class: 'segment ' + kind });
  node.style.width = percent(part, whole) + '%'; // CSSOM, allowed by the style-src 'self' policy (no inline style attribute)
  return node;
}

/** A bar with a label, value in words, and segments [kind, count]. */
export function bar(id, label, value, max, segments, words) {
  const labelId = id + '-label';
  const track = el('div', {
    class: 'bar',
    role: 'progressbar',
    id,
    'aria-labelledby': labelId,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': percent(value, max),
    'aria-valuetext': words,
  }, segments.map(([kind, count]) => segment(kind, count, max)));
  return el('div', { class: 'bar-row' },
    el('p', { class: 'bar-label', id: labelId }, el('span', {}, label), el('span', { class: 'bar-figure' }, percent(value, max) + '%')),
    track,
    el('p', { class: 'bar-words' }, words));
}

/** The send bar and, when asked for, the confirmation bar of one event. */
export function bars(prefix, event) {
  const c = event.counts;
  const attempted = c.sent + c.deferred + c.failed;
  const rows = [bar(prefix + '-send', t('barSend'), attempted, c.recipients,
    [['sent', c.sent], ['deferred', c.deferred], ['failed', c.failed]],
    t('sendWords', { sent: formatNumber(c.sent), deferred: formatNumber(c.deferred), failed: formatNumber(c.failed), recipients: formatNumber(c.recipients) }))];
  const k = event.confirmation;
  if (k) {
    rows.push(bar(prefix + '-confirm', t('barConfirm'), k.confirmedHouseholds, k.households, [['confirmed', k.confirmedHouseholds]],
      t('confirmWords', { confirmed: formatNumber(k.confirmedHouseholds), households: formatNumber(k.households) })));
  }
  return rows;
}

/** The per-school grid of a board broadcast: one small bar per school. */
export function schoolGrid(event, nameOf) {
  return event.schools.map((s) => {
    const c = s.counts;
    const attempted = c.sent + c.deferred + c.failed;
    return el('div', { class: 'grid-cell', dataset: { schoolId: s.schoolId } },
      bar('school-' + s.schoolId, nameOf(s.schoolId), attempted, c.recipients,
        [['sent', c.sent], ['deferred', c.deferred], ['failed', c.failed]],
        t('sendWords', { sent: formatNumber(c.sent), deferred: formatNumber(c.deferred), failed: formatNumber(c.failed), recipients: formatNumber(c.recipients) })));
  });
}
