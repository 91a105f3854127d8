// The board console's city-wide alert: text, the schools it goes to (all, or chosen) and grades, then the send; the
// per-school progress grid follows on the broadcast's page.
import { $, el, say, uuid } from './dom.js';
import { call } from './api.js';
import { t, fieldLabel } from './i18n.js';

let session = null;
let wired = false;
let idempotencyKey = uuid();

function build() {
  $('board-schools').replaceChildren(...session.schools.map((s) => el('div', { class: 'check' },
    el('input', { type: 'checkbox', id: 'board-school-' + s.schoolId, value: s.schoolId }),
    el('label', { for: 'board-school-' + s.schoolId }, s.name))));
  const grades = [];
  for (let g = 1; g <= 9; g++) {
    grades.push(el('div', { class: 'check' },
      el('input', { type: 'checkbox', id: 'board-grade-' + g, value: g }),
      el('label', { for: 'board-grade-' + g }, t('gradeShort', { grade: g }))));
  }
  $('board-grades').replaceChildren(...grades);
}

async function submit(event) {
  event.preventDefault();
  const errors = $('board-errors');
  errors.hidden = true;
  const schoolIds = [...$('board-schools').querySelectorAll('input:checked')].map((x) => x.value);
  const grades = [...$('board-grades').querySelectorAll('input:checked')].map((x) => Number(x.value));
  const body = {
    subject: $('board-subject').value,
    body: $('board-body').value,
    category: $('board-category').value,
    schoolIds,
    grades,
    requireConfirmation: $('board-confirm').checked,
  };
  $('board-submit').disabled = true;
  const answer = await call('POST', '/api/v1/boards/' + encodeURIComponent(session.boardId) + '/broadcasts', body, { 'Idempotency-Key': idempotencyKey });
  $('board-submit').disabled = false;
  if (answer.status === 202 && answer.data) {
    idempotencyKey = uuid();
    say(t(answer.data.status === 'awaitingApproval' ? 'sentForApproval' : 'accepted', { subject: answer.data.subject }), 'success');
    location.hash = '#broadcast/' + encodeURIComponent(answer.data.id);
    return;
  }
  const data = answer.data || {};
  const lines = data.errors
    ? Object.entries(data.errors).map(([f, m]) => fieldLabel(f) + ': ' + [].concat(m).join(' '))
    : [answer.status === 0 ? t('networkError') : data.detail || data.title || t('failed')];
  errors.replaceChildren(el('p', {}, t('fixErrors')), el('ul', {}, lines.map((l) => el('li', {}, l))));
  errors.hidden = false;
  errors.focus();
}

export async function enter(signedIn) {
  session = signedIn;
  if (!wired) {
    $('board-form').addEventListener('submit', submit);
    $('board-form').addEventListener('input', () => {
      idempotencyKey = uuid();
    });
    $('board-all-schools').addEventListener('click', () => {
      for (const box of $('board-schools').querySelectorAll('input')) {
        box.checked = true;
      }
      idempotencyKey = uuid();
    });
    wired = true;
  }
  build();
}
