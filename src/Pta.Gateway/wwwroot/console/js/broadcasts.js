// The list of broadcasts (the school's, or the board's own), newest first. Broadcasts still sending get a live bar
// each (the five newest; more would hold a connection apiece), the others their final figures.
import { $, el, say } from './dom.js';
import { call } from './api.js';
import { t, formatTime, formatNumber } from './i18n.js';
import { watch } from './live.js';
import { bars } from './progress.js';

const maxLive = 5;
let stops = [];

function staticBar(b) {
  const c = b.counts;
  return bars('list-' + b.id, { counts: c, confirmation: null, schools: [] });
}

function item(b) {
  const live = el('div', { class: 'list-progress' }, staticBar(b));
  const node = el('li', { class: 'card broadcast-item', dataset: { broadcastId: b.id, status: b.status } },
    el('h2', {}, el('a', { href: '#broadcast/' + encodeURIComponent(b.id) }, b.subject)),
    el('p', { class: 'meta' }, el('span', { class: 'status-badge' }, t('status.' + b.status)), ' ',
      t('listMeta', { category: t('cat.' + b.category), at: formatTime(b.acceptedAt), recipients: formatNumber(b.counts.recipients) })),
    live);
  return { node, live };
}

export async function enter(session) {
  leave();
  const url = session.schoolId
    ? '/api/v1/schools/' + encodeURIComponent(session.schoolId) + '/broadcasts'
    : '/api/v1/boards/' + encodeURIComponent(session.boardId) + '/broadcasts';
  const answer = await call('GET', url);
  const list = answer.ok ? answer.data : [];
  if (!answer.ok) {
    say(t('loadFailed'), 'error');
  }
  const items = list.map(item);
  $('broadcasts-list').replaceChildren(...items.map((i) => i.node));
  $('broadcasts-empty').hidden = list.length > 0;
  list.forEach((b, i) => {
    if ((b.status === 'sending' || b.status === 'accepted') && stops.length < maxLive) {
      stops.push(watch('/api/v1/broadcasts/' + encodeURIComponent(b.id) + '/events', (type, data) => {
        if (type === 'progress') {
          const event = JSON.parse(data);
          items[i].live.replaceChildren(...bars('list-' + b.id, event));
          items[i].node.dataset.status = event.status;
          items[i].node.querySelector('.status-badge').textContent = t('status.' + event.status);
        }
      }, () => {}));
    }
  });
}

export function leave() {
  for (const stop of stops) {
    stop();
  }
  stops = [];
}
