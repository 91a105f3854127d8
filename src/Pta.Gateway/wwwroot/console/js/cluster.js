// The board's cluster view: active silos with each one's send rate and total sent (so an operator sees an added silo
// take its share), and each carrier's shaping (configured rate, back-off factor, pause),
// read again every five seconds while the view is open (an operator watches a silo join while adding one).
import { $, el, say } from './dom.js';
import { call } from './api.js';
import { t, formatTime, formatNumber } from './i18n.js';

const refreshMs = 5000;
let timer = null;

function table(caption, columns, rows) {
  return el('table', { class: 'table' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((cell) => el('td', {}, cell))))));
}

function rate(value) {
  return value === null || value === undefined ? t('unlimited') : formatNumber(Math.round(value * 10) / 10) + ' ' + t('perSecond');
}

async function load(boardId) {
  const answer = await call('GET', '/api/v1/boards/' + encodeURIComponent(boardId) + '/cluster');
  if (!answer.ok) {
    say(t('loadFailed'), 'error');
    return;
  }
  const c = answer.data;
  $('cluster-at').textContent = t('clusterAt', { at: formatTime(c.at) }) + (c.shapingEnabled ? '' : ' ' + t('shapingOff'));
  $('cluster-silos').replaceChildren(table(t('silosCaption', { count: c.silos.length }),
    [t('col.silo'), t('col.address'), t('col.host'), t('col.status'), t('col.started'), t('col.cpu'), t('col.activations'),
      t('col.sendRate'), t('col.sent')],
    c.silos.map((s) => [s.name, s.address, s.host, s.overloaded ? t('overloaded') : s.status, formatTime(s.startedAt),
      s.cpuPercent === null ? '—' : s.cpuPercent + '%', s.activations === null ? '—' : formatNumber(s.activations),
      s.sentPerSecond === null ? '—' : rate(s.sentPerSecond), s.sent === null ? '—' : formatNumber(s.sent)])));
  $('cluster-carriers').replaceChildren(table(t('carriersCaption'),
    [t('col.carrier'), t('col.configured'), t('col.factor'), t('col.effective'), t('col.state')],
    c.carriers.map((x) => [
      t('carrier.' + x.carrier),
      rate(x.configuredPerSecond),
      Math.round(x.rateFactor * 100) + '%',
      rate(x.effectivePerSecond),
      x.pausedUntil ? t('pausedUntil', { at: formatTime(x.pausedUntil, false), unknown: x.recentUnknownUsers })
        : x.rateFactor < 1 ? t('backingOff') : t('normal'),
    ])));
}

export async function enter(session) {
  leave();
  await load(session.boardId);
  timer = setInterval(() => load(session.boardId), refreshMs);
}

export function leave() {
  clearInterval(timer);
  timer = null;
}
