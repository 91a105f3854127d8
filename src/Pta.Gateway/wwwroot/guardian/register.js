// The registration form (/register/{ticketId}). Plain script, no build step.
// Safety rule: text from the API or the guardian goes into the page through textContent only, never as HTML.
'use strict';

(function () {
  const api = '/api/v1/registrations/';
  const defaultPolicyVersion = '2026-11';
  const $ = (id) => document.getElementById(id);

  // The ticket id is the last path segment; it is only ever sent back to the API, URL-encoded.
  const ticketId = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop() || '');

  // The three extra address inputs; the API reports their errors as `addresses[i]`.
  const addressInputs = ['address0', 'address1', 'address2'];

  // The API answers in English; guardians read Japanese. Known messages are translated, others are shown as they come.
  const fieldNames = {
    authCode: '認証コード', grade: '学年', class: '組', childName: 'お子様のお名前', guardianName: '保護者のお名前',
    consent: '同意', addresses: '追加のメールアドレス', address0: 'アドレス2', address1: 'アドレス3', address2: 'アドレス4',
  };

  function translate(field, message) {
    if (field === 'authCode' && /auth code/i.test(message)) {
      return '認証コードが違います。学校から配られたコードをご確認ください。';
    }
    if (field === 'consent') {
      return '登録するには、個人情報の取り扱いへの同意が必要です。';
    }
    if (field === 'grade') {
      return '学年を選んでください。';
    }
    if (message === 'Required.') {
      return '入力してください。';
    }
    const length = /^At most (\d+)/.exec(message);
    if (length) {
      return length[1] + ' 文字以内で入力してください。';
    }
    if (/forbidden character|surrogate/i.test(message)) {
      return '使えない文字が含まれています。';
    }
    if (field.startsWith('address')) {
      return 'メールアドレスの形式が正しくありません（' + message + '）';
    }
    return message;
  }


  function showPageError(text, detail) {
    $('page-error-text').textContent = text;
    $('page-error-detail').textContent = detail || '';
    $('page-error').hidden = false;
    $('page-error').focus();
  }

  function formatDate(value) {
    const date = new Date(value);
    return isNaN(date) ? '' : date.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' });
  }

  function clearErrors() {
    $('error-summary').hidden = true;
    $('error-list').replaceChildren();
    $('page-error').hidden = true;
    for (const box of document.querySelectorAll('.field-error')) {
      box.hidden = true;
      box.textContent = '';
    }
    for (const input of document.querySelectorAll('[aria-invalid]')) {
      input.removeAttribute('aria-invalid');
    }
  }

  // Shows each message under its input and lists them in a summary whose links move focus to the input.
  function showFieldErrors(errors) {
    let first = null;
    for (const [id, messages] of errors) {
      const box = $(id + '-error');
      const input = $(id) || (id === 'addresses' ? $('address0') : null);
      const text = messages.map((m) => translate(id, m)).join(' ');
      if (box) {
        box.textContent = text;
        box.hidden = false;
      }
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first = first || input;
      }
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = '#' + (input ? input.id : 'form');
      link.textContent = (fieldNames[id] || id) + ': ' + text;
      link.addEventListener('click', (event) => {
        if (input) {
          event.preventDefault();
          input.focus();
        }
      });
      item.append(link);
      $('error-list').append(item);
    }
    $('error-summary').hidden = false;
    $('error-summary').focus();
    return first;
  }

  async function load() {
    const answer = await PtaGuardianApi.call('GET', api + encodeURIComponent(ticketId));
    $('loading').hidden = true;
    if (!answer.ok || !answer.data) {
      showPageError(answer.status === 0
        ? '通信できませんでした。電波の良い所で、ページを読み込み直してください。'
        : 'このリンクは使えません。有効期限が切れたか、すでに登録に使われています。もう一度空メールを送ってください。',
      answer.data && answer.data.detail);
      return;
    }
    $('school-name').textContent = answer.data.schoolName;
    $('sender-address').textContent = answer.data.senderAddress;
    $('expires-at').textContent = formatDate(answer.data.expiresAt);
    $('policy-version').textContent = defaultPolicyVersion;
    $('form').hidden = false;
  }

  async function submit(event) {
    event.preventDefault();
    clearErrors();
    const button = $('submit');
    button.disabled = true;
    button.textContent = '送信しています…';

    // Empty address boxes are skipped; `index` remembers which box each sent address came from,
    // because the API's `addresses[i]` counts only the addresses actually sent.
    const index = [];
    const addresses = [];
    addressInputs.forEach((id, i) => {
      const value = $(id).value.trim();
      if (value) {
        index.push(i);
        addresses.push(value);
      }
    });
    const body = {
      authCode: $('authCode').value.trim(),
      childName: $('childName').value.trim(),
      grade: $('grade').value ? Number($('grade').value) : null,
      class: $('class').value.trim(),
      guardianName: $('guardianName').value.trim(),
      addresses,
      consent: $('consent').checked,
    };

    const answer = await PtaGuardianApi.call('POST', api + encodeURIComponent(ticketId), body);
    button.disabled = false;
    button.textContent = '登録する';
    const problem = answer.data || {};

    if (answer.ok) {
      $('form').hidden = true;
      $('done-policy').textContent = problem.policyVersion || defaultPolicyVersion;
      $('done').hidden = false;
      $('done').focus();
      return;
    }
    if (answer.status === 400 && problem.errors) {
      const errors = Object.entries(problem.errors).map(([key, messages]) => {
        const match = /^addresses\[(\d+)\]$/.exec(key);
        const id = match ? addressInputs[index[Number(match[1])]] || 'addresses' : key;
        return [id, Array.isArray(messages) ? messages : [String(messages)]];
      });
      showFieldErrors(errors);
      return;
    }
    if (answer.status === 409 && problem.field === 'childName') {
      showFieldErrors([['childName', ['このお子様には、すでに3人の保護者が登録されています。']]]);
      return;
    }
    if (answer.status === 409) {
      $('form').hidden = true;
      showPageError('このリンクはすでに登録に使われています。ごきょうだいを登録するときは、もう一度空メールを送ってください。', problem.detail);
      return;
    }
    if (answer.status === 404) {
      $('form').hidden = true;
      showPageError('このリンクの有効期限が切れました。もう一度空メールを送ってください。', problem.detail);
      return;
    }
    showPageError(answer.status === 0
      ? '通信できませんでした。電波の良い所で、もう一度「登録する」を押してください。'
      : 'ただいま登録できません。しばらくしてから、もう一度お試しください。', problem.detail);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('form').addEventListener('submit', submit);
    load();
  });
})();
