// The school console's compose view: a template (or free text), its placeholders, category, audience with a live
// recipient count, read confirmation, an optional send time, and a phone-like preview that follows every keystroke.
import { $, el, say, uuid } from './dom.js';
import { call } from './api.js';
import { t, fieldLabel } from './i18n.js';
import { render, names, automaticNames } from './template-text.js';
import * as picker from './audience-picker.js';

let session = null;
let school = null;
let templates = [];
let chosen = null;          // the chosen template, or null
let idempotencyKey = uuid(); // one per content: a retry of the same request reuses it
let wired = false;

function valueOf(name) {
  if (name === '発信者' || name === '学校名') {
    return school.name;
  }
  if (name === '教育委員会名') {
    return session.boardName || '';
  }
  const input = document.querySelector('#compose-values [data-name="' + CSS.escape(name) + '"]');
  return input ? input.value : undefined;
}

/** Whether subject and body are still the template's own text (then the gateway renders it from template and values). */
function isTemplateText() {
  return chosen !== null && $('compose-subject').value === chosen.subject && $('compose-body').value === chosen.body;
}

function updatePreview() {
  $('preview-from').textContent = school.senderName + ' <' + school.senderAddress + '>';
  $('preview-subject').textContent = render($('compose-subject').value, valueOf) || t('noSubject');
  $('preview-body').textContent = render($('compose-body').value, valueOf);
  const confirm = $('compose-confirm').checked;
  $('preview-confirm').hidden = !confirm;
  $('preview-confirm').textContent = confirm ? t('previewConfirm', { origin: location.origin }) : '';
  const category = $('compose-category').value;
  const urgent = category === 'emergency' || category === 'safety';
  $('compose-category-hint').textContent = session.role === 'operator'
    ? t(urgent ? 'operatorUrgentHint' : 'operatorDraftHint')
    : t('principalHint');
  $('compose-submit').textContent = session.role === 'operator' && !urgent && !$('compose-send-at').value ? t('submitForApproval') : t('submit');
}

function renderValues() {
  const box = $('compose-values');
  box.replaceChildren();
  if (!chosen) {
    return;
  }
  const wanted = [...names(chosen.subject), ...names(chosen.body)].filter((n, i, all) => all.indexOf(n) === i && !automaticNames.includes(n));
  for (const name of wanted) {
    const id = 'value-' + [...name].map((c) => c.charCodeAt(0).toString(16)).join('');
    box.append(el('div', { class: 'field' },
      el('label', { for: id }, name),
      el('input', { id, type: 'text', dataset: { name }, 'aria-describedby': id + '-error' }),
      el('p', { id: id + '-error', class: 'field-error', hidden: true })));
  }
}

function chooseTemplate() {
  const id = $('compose-template').value;
  chosen = templates.find((x) => x.templateId === id) || null;
  if (chosen) {
    $('compose-category').value = chosen.category;
    $('compose-subject').value = chosen.subject;
    $('compose-body').value = chosen.body;
  }
  renderValues();
  contentChanged();
}

function contentChanged() {
  idempotencyKey = uuid();
  updatePreview();
}

function clearErrors() {
  $('compose-errors').hidden = true;
  $('compose-errors').replaceChildren();
  for (const box of document.querySelectorAll('#compose-form .field-error')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const input of document.querySelectorAll('#compose-form [aria-invalid]')) {
    input.removeAttribute('aria-invalid');
  }
}

/** Each field error under its input (values.名前 under the placeholder's input) and in a summary that links to it. */
function showErrors(errors) {
  const list = el('ul');
  for (const [field, messages] of Object.entries(errors)) {
    const text = [].concat(messages).join(' ');
    let input = null;
    if (field.startsWith('values.')) {
      input = document.querySelector('#compose-values [data-name="' + CSS.escape(field.slice(7)) + '"]');
    } else if (['subject', 'body', 'sendAt', 'category'].includes(field)) {
      input = $('compose-' + (field === 'sendAt' ? 'send-at' : field));
    } else if (field.startsWith('audience')) {
      input = $('audience-some');
    }
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      const box = $(input.getAttribute('aria-describedby') || '');
      if (box) {
        box.textContent = text;
        box.hidden = false;
      }
    }
    const label = field.startsWith('values.') ? field.slice(7) : fieldLabel(field);
    list.append(el('li', {}, input
      ? el('a', { href: '#', onclick: (e) => { e.preventDefault(); input.focus(); } }, label + ': ' + text)
      : label + ': ' + text));
  }
  const box = $('compose-errors');
  box.replaceChildren(el('p', {}, t('fixErrors')), list);
  box.hidden = false;
  box.focus();
}

function request() {
  const body = {
    category: $('compose-category').value,
    audience: picker.audience(),
    requireConfirmation: $('compose-confirm').checked,
  };
  if (chosen) {
    body.template = chosen.templateId;
    body.values = {};
    for (const input of document.querySelectorAll('#compose-values [data-name]')) {
      body.values[input.dataset.name] = input.value;
    }
  }
  if (!isTemplateText()) {
    // Edited (or free) text: sent as written, placeholders filled here as the preview shows them.
    body.subject = render($('compose-subject').value, valueOf);
    body.body = render($('compose-body').value, valueOf);
    delete body.template;
    delete body.values;
  }
  const sendAt = $('compose-send-at').value;
  if (sendAt) {
    body.sendAt = new Date(sendAt).toISOString();
  }
  return body;
}

async function submit(event) {
  event.preventDefault();
  clearErrors();
  if (picker.isEmptyChoice()) {
    showErrors({ audience: [t('chooseAudience')] });
    return;
  }
  const button = $('compose-submit');
  button.disabled = true;
  const answer = await call('POST', '/api/v1/schools/' + encodeURIComponent(school.schoolId) + '/broadcasts', request(), { 'Idempotency-Key': idempotencyKey });
  button.disabled = false;
  if (answer.status === 202 && answer.data) {
    const broadcast = answer.data;
    idempotencyKey = uuid();
    if (broadcast.status === 'awaitingApproval') {
      location.hash = '#queue';
      say(t('sentForApproval', { subject: broadcast.subject }), 'success');
    } else {
      location.hash = '#broadcast/' + encodeURIComponent(broadcast.id);
      say(t(broadcast.status === 'scheduled' ? 'scheduled' : 'accepted', { subject: broadcast.subject }), 'success');
    }
    return;
  }
  if (answer.status === 400 && answer.data && answer.data.errors) {
    showErrors(answer.data.errors);
    return;
  }
  const data = answer.data || {};
  showErrors({ [data.field || 'request']: [answer.status === 0 ? t('networkError') : data.detail || data.title || t('failed')] });
}

function wire() {
  $('compose-template').addEventListener('change', chooseTemplate);
  $('compose-values').addEventListener('input', contentChanged);
  for (const id of ['compose-subject', 'compose-body', 'compose-category', 'compose-confirm', 'compose-send-at']) {
    $(id).addEventListener('input', contentChanged);
    $(id).addEventListener('change', contentChanged);
  }
  for (const id of ['audience-all', 'audience-some']) {
    $(id).addEventListener('change', () => {
      picker.changed();
      contentChanged();
    });
  }
  $('audience-picker').addEventListener('change', () => {
    picker.changed();
    contentChanged();
  });
  $('compose-form').addEventListener('submit', submit);
}

export async function enter(signedIn) {
  session = signedIn;
  school = session.schools[0];
  if (!wired) {
    wire();
    wired = true;
  }
  clearErrors();
  const answer = await call('GET', '/api/v1/schools/' + encodeURIComponent(school.schoolId) + '/templates');
  templates = answer.ok ? answer.data : [];
  const select = $('compose-template');
  const previous = select.value;
  select.replaceChildren(el('option', { value: '' }, t('noTemplate')),
    ...templates.map((x) => el('option', { value: x.templateId }, x.name)));
  select.value = templates.some((x) => x.templateId === previous) ? previous : '';
  chosen = templates.find((x) => x.templateId === select.value) || null;
  if (!chosen) {
    renderValues();
  }
  updatePreview();
  await picker.start(school.schoolId);
}
