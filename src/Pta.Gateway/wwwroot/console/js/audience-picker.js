// The school's audience picker: whole grades or single classes, from the classes the audience preview lists, and the
// live count of households and addresses it would reach (asked of the gateway on every change, debounced).
import { $, el } from './dom.js';
import { call } from './api.js';
import { t, formatNumber } from './i18n.js';

let schoolId = null;
let timer = null;
let asked = 0;

/** The query string of the chosen audience ('' = the whole school). */
export function query() {
  if (!$('audience-some').checked) {
    return '';
  }
  const parts = [];
  for (const box of $('audience-picker').querySelectorAll('input:checked')) {
    parts.push(box.dataset.param + '=' + encodeURIComponent(box.value));
  }
  return parts.join('&');
}

/** The chosen audience as a broadcast request's audience, or null for the whole school. */
export function audience() {
  if (!$('audience-some').checked) {
    return null;
  }
  const grades = [];
  const classes = [];
  for (const box of $('audience-picker').querySelectorAll('input:checked')) {
    if (box.dataset.param === 'grade') {
      grades.push(Number(box.value));
    } else {
      const dash = box.value.indexOf('-');
      classes.push({ grade: Number(box.value.slice(0, dash)), class: box.value.slice(dash + 1) });
    }
  }
  return { grades, classes };
}

export async function start(id) {
  schoolId = id;
  $('audience-all').checked = true;
  $('audience-picker').hidden = true;
  $('audience-picker').replaceChildren();
  const answer = await refresh();
  if (answer && answer.ok) {
    build(answer.data.classes);
  }
}

function build(classes) {
  const grades = [...new Set(classes.map((c) => c.grade))];
  const picker = $('audience-picker');
  for (const grade of grades) {
    const gradeId = 'aud-grade-' + grade;
    const group = el('div', { class: 'grade-group', role: 'group', 'aria-labelledby': gradeId + '-label' },
      el('div', { class: 'check' },
        el('input', { type: 'checkbox', id: gradeId, value: grade, dataset: { param: 'grade' } }),
        el('label', { for: gradeId, id: gradeId + '-label' }, t('gradeAll', { grade }))));
    for (const c of classes.filter((x) => x.grade === grade)) {
      const id = 'aud-class-' + grade + '-' + c.class.replace(/[^A-Za-z0-9_-]/g, (ch) => ch.charCodeAt(0).toString(16));
      group.append(el('div', { class: 'check indent' },
        el('input', { type: 'checkbox', id, value: grade + '-' + c.class, dataset: { param: 'class' } }),
        el('label', { for: id }, t('classLabel', { grade, name: c.class, children: formatNumber(c.children) }))));
    }
    picker.append(group);
  }
}

/** Whether "choose" is on with nothing chosen (the broadcast would have no audience to send to). */
export function isEmptyChoice() {
  return $('audience-some').checked && !$('audience-picker').querySelector('input:checked');
}

/** Asks for the count of the current choice and shows it; returns the answer. */
export async function refresh() {
  const mine = ++asked;
  const out = $('compose-count');
  if (isEmptyChoice()) {
    out.textContent = t('chooseAudience');
    out.dataset.households = '0';
    out.dataset.addresses = '0';
    return null;
  }
  const q = query();
  const answer = await call('GET', '/api/v1/schools/' + encodeURIComponent(schoolId) + '/audience' + (q ? '?' + q : ''));
  if (mine !== asked) {
    return null; // a newer choice was asked meanwhile
  }
  if (answer.ok) {
    out.textContent = t('audienceCount', { households: formatNumber(answer.data.households), addresses: formatNumber(answer.data.addresses) });
    out.dataset.households = answer.data.households;
    out.dataset.addresses = answer.data.addresses;
  } else {
    out.textContent = t('audienceCountFailed');
  }
  return answer;
}

export function changed() {
  $('audience-picker').hidden = !$('audience-some').checked;
  clearTimeout(timer);
  timer = setTimeout(refresh, 250);
}
