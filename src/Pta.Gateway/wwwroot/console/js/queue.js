// The approval queue: operators' drafts waiting for the principal, each with its full text (the principal approves
// what they have read). The principal approves or sends it back; an operator sees where their drafts stand.
import { $, el, say } from './dom.js';
import { call } from './api.js';
import { t, formatTime, formatNumber } from './i18n.js';

let session = null;

/** The audience preview of a draft's audience: who it would reach if approved now. */
function audienceUrl(schoolId, audience) {
  const query = [
    ...(audience.grades || []).map((g) => 'grade=' + g),
    ...(audience.classes || []).map((c) => 'class=' + encodeURIComponent(c.grade + '-' + c.class)),
    ...(audience.groups || []).map((g) => 'group=' + encodeURIComponent(g)),
  ].join('&');
  return '/api/v1/schools/' + encodeURIComponent(schoolId) + '/audience' + (query ? '?' + query : '');
}

async function act(broadcast, action, button) {
  button.disabled = true;
  const answer = await call('POST', '/api/v1/broadcasts/' + encodeURIComponent(broadcast.id) + '/' + action, action === 'reject' ? {} : undefined);
  button.disabled = false;
  if (answer.ok) {
    if (action === 'approve') {
      say(t('approved', { subject: broadcast.subject }), 'success');
      location.hash = '#broadcast/' + encodeURIComponent(broadcast.id);
    } else {
      say(t('rejected', { subject: broadcast.subject }), 'success');
      await enter(session);
    }
    return;
  }
  say((answer.data && (answer.data.detail || answer.data.title)) || t('failed'), 'error');
}

function item(broadcast, text, reach) {
  const titleId = 'queue-' + broadcast.id;
  const actions = el('div', { class: 'actions' });
  if (session.role === 'school') {
    const approve = el('button', { type: 'button', class: 'primary', 'aria-describedby': titleId }, t('approve'));
    approve.addEventListener('click', () => act(broadcast, 'approve', approve));
    const reject = el('button', { type: 'button', class: 'secondary', 'aria-describedby': titleId }, t('reject'));
    reject.addEventListener('click', () => act(broadcast, 'reject', reject));
    actions.append(approve, reject);
  } else {
    actions.append(el('p', { class: 'hint' }, t('waitingForPrincipal')));
  }
  return el('li', { class: 'card queue-item', dataset: { broadcastId: broadcast.id } },
    el('h2', { id: titleId }, broadcast.subject),
    el('p', { class: 'meta' }, t('queueMeta', {
      category: t('cat.' + broadcast.category),
      by: broadcast.submittedBy || '—',
      at: formatTime(broadcast.acceptedAt),
    })),
    reach ? el('p', { class: 'count' }, t('audienceCount', { households: formatNumber(reach.households), addresses: formatNumber(reach.addresses) })) : null,
    text ? el('pre', { class: 'mail-text' }, text.body) : null,
    actions);
}

export async function enter(signedIn) {
  session = signedIn;
  const school = session.schools[0];
  const answer = await call('GET', '/api/v1/schools/' + encodeURIComponent(school.schoolId) + '/broadcasts?status=awaitingApproval');
  const drafts = answer.ok ? answer.data : [];
  const texts = await Promise.all(drafts.map((b) => call('GET', '/api/v1/broadcasts/' + encodeURIComponent(b.id) + '/text')));
  const reaches = await Promise.all(texts.map((x) => (x.ok ? call('GET', audienceUrl(school.schoolId, x.data.audience)) : null)));
  $('queue-list').replaceChildren(...drafts.map((b, i) => item(b, texts[i].ok ? texts[i].data : null, reaches[i] && reaches[i].ok ? reaches[i].data : null)));
  $('queue-empty').hidden = drafts.length > 0;
  if (!answer.ok) {
    say(t('loadFailed'), 'error');
  }
}
