// Guardian self-service (/me/{token}). Plain script, no build step.
// Safety rule: text from the API or the guardian goes into the page through textContent only, never as HTML.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  // The signed token is the last path segment; it is only ever sent back to our own API, URL-encoded.
  const token = decodeURIComponent(location.pathname.replace(/\/+$/, '').split('/').pop() || '');
  const base = '/api/v1/me/' + encodeURIComponent(token);
  const maxSlots = 4;
  const broadcastSlots = 2;

  const statusLabels = { verified: '確認済み', pending: '確認中', invalid: '無効' };
  const statusNotes = {
    verified: '',
    pending: '確認メールを送っています。届くと「確認済み」になります。',
    invalid: 'このアドレスにはメールが届きませんでした。別のアドレスに変更してください。',
  };


  function formatDate(value) {
    if (!value) {
      return '';
    }
    const date = new Date(value);
    return isNaN(date) ? '' : date.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long', timeStyle: 'short' });
  }

  function say(text) {
    $('status').textContent = text;
  }

  function showPageError(text, detail) {
    $('page-error-text').textContent = text;
    $('page-error-detail').textContent = detail || '';
    $('page-error').hidden = false;
    $('page-error').focus();
  }

  // Any answer that is not a success: 404 means the link no longer works, so everything else is hidden.
  function failed(answer, fallback) {
    const detail = answer.data && answer.data.detail;
    if (answer.status === 404) {
      $('content').hidden = true;
      showPageError('このリンクは使えません。有効期限が切れたか、正しくありません。最新の登録完了メールのリンクを開いてください。', detail);
    } else if (answer.status === 0) {
      say('通信できませんでした。電波の良い所で、もう一度お試しください。');
    } else {
      say(fallback);
    }
  }

  function slotTitle(slot) {
    return 'アドレス' + slot + (slot <= broadcastSlots ? '（一斉配信あり）' : '（連絡用）');
  }

  function renderSlot(slot, entry) {
    const node = $('slot-template').content.firstElementChild.cloneNode(true);
    const prefix = 'slot-' + slot;
    const title = node.querySelector('.slot-title');
    title.id = prefix + '-title';
    title.textContent = slotTitle(slot);
    node.setAttribute('aria-labelledby', title.id);

    const address = node.querySelector('.slot-address');
    const badge = node.querySelector('.slot-status');
    const note = node.querySelector('.slot-note');
    if (entry) {
      address.textContent = entry.address;
      badge.textContent = statusLabels[entry.status] || entry.status;
      badge.classList.add('badge-' + entry.status);
      note.textContent = statusNotes[entry.status] || '';
    } else {
      address.textContent = '未登録';
      address.classList.add('empty');
      badge.remove();
    }
    note.hidden = !note.textContent;

    const form = node.querySelector('.slot-form');
    const label = node.querySelector('.slot-label');
    const input = node.querySelector('.slot-input');
    const error = node.querySelector('.slot-error');
    const clear = node.querySelector('.slot-clear');
    input.id = prefix + '-input';
    label.htmlFor = input.id;
    label.textContent = entry ? 'アドレス' + slot + 'を変更する' : 'アドレス' + slot + 'を登録する';
    error.id = prefix + '-error';
    input.setAttribute('aria-describedby', error.id);
    node.querySelector('.slot-save').textContent = entry ? '変更する' : '登録する';
    clear.hidden = !entry;
    clear.setAttribute('aria-label', 'アドレス' + slot + 'を削除する');

    const showError = (text) => {
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    };

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) {
        showError('新しいメールアドレスを入力してください。');
        return;
      }
      const answer = await PtaGuardianApi.call('PUT', base + '/addresses/' + slot, { address: value });
      if (answer.ok && answer.data) {
        render(answer.data);
        say('アドレス' + slot + 'を変更しました。確認メールを送りました。');
        focusSlot(slot);
      } else if (answer.status === 400 && answer.data && answer.data.errors) {
        const messages = Object.values(answer.data.errors).flat();
        showError('メールアドレスの形式が正しくありません（' + messages.join(' ') + '）');
      } else {
        failed(answer, 'アドレスを変更できませんでした。しばらくしてから、もう一度お試しください。');
      }
    });

    clear.addEventListener('click', async () => {
      const answer = await PtaGuardianApi.call('DELETE', base + '/addresses/' + slot);
      if (answer.ok && answer.data) {
        render(answer.data);
        say('アドレス' + slot + 'を削除しました。');
        focusSlot(slot);
      } else {
        failed(answer, 'アドレスを削除できませんでした。しばらくしてから、もう一度お試しください。');
      }
    });
    return node;
  }

  // Re-rendering replaces the slot's elements, so keyboard focus is put back where the guardian was.
  function focusSlot(slot) {
    const input = $('slot-' + slot + '-input');
    if (input) {
      input.focus();
    }
  }

  function render(view) {
    $('loading').hidden = true;
    if (view.status !== 'active') {
      $('content').hidden = true;
      $('withdrawn-at').textContent = formatDate(view.withdrawnAt) || '—';
      $('withdrawn').hidden = false;
      return;
    }

    $('guardian-name').textContent = view.name;
    const slots = [];
    for (let slot = 1; slot <= maxSlots; slot++) {
      slots.push(renderSlot(slot, (view.addresses || []).find((a) => a.slot === slot)));
    }
    $('slots').replaceChildren(...slots);

    $('receive').checked = !!view.receiveBroadcasts;

    $('children').replaceChildren(...(view.children || []).map((child) => {
      const item = document.createElement('li');
      item.textContent = '学校ID: ' + child.schoolId + ' ／ 登録番号: ' + child.childId;
      return item;
    }));
    if (!(view.children || []).length) {
      const item = document.createElement('li');
      item.textContent = '登録しているお子様はいません。';
      $('children').append(item);
    }

    $('consents').replaceChildren(...(view.consents || []).map((consent) => {
      const item = document.createElement('li');
      const purpose = /^registration:(.+)$/.exec(consent.purpose || '');
      const lines = [
        '目的: ' + (purpose ? '学校からの連絡（学校ID: ' + purpose[1] + '）' : consent.purpose),
        'プライバシーポリシー: ' + consent.policyVersion + ' 版',
        '同意日時: ' + formatDate(consent.grantedAt),
      ];
      if (consent.withdrawnAt) {
        lines.push('同意の撤回: ' + formatDate(consent.withdrawnAt));
      }
      for (const line of lines) {
        const row = document.createElement('span');
        row.className = 'line';
        row.textContent = line;
        item.append(row);
      }
      return item;
    }));

    $('export').setAttribute('href', base + '/export');
    $('content').hidden = false;
  }

  async function setReceive() {
    const box = $('receive');
    const wanted = box.checked;
    box.disabled = true;
    const answer = await PtaGuardianApi.call('PUT', base + '/broadcasts', { receive: wanted });
    box.disabled = false;
    if (answer.ok && answer.data) {
      render(answer.data);
      say(wanted ? '一斉配信を受け取る設定にしました。' : '一斉配信を停止しました。');
    } else {
      box.checked = !wanted;
      failed(answer, '設定を変更できませんでした。しばらくしてから、もう一度お試しください。');
    }
    box.focus();
  }

  function askWithdraw(open) {
    $('withdraw-confirm').hidden = !open;
    $('withdraw').setAttribute('aria-expanded', String(open));
    if (open) {
      $('withdraw-confirm').focus();
    } else {
      $('withdraw').focus();
    }
  }

  async function withdraw() {
    $('withdraw-yes').disabled = true;
    const answer = await PtaGuardianApi.call('POST', base + '/withdraw');
    $('withdraw-yes').disabled = false;
    if (answer.ok && answer.data) {
      render(answer.data);
      $('withdrawn').focus();
    } else {
      failed(answer, '退会できませんでした。しばらくしてから、もう一度お試しください。');
    }
  }

  async function load() {
    const answer = await PtaGuardianApi.call('GET', base);
    $('loading').hidden = true;
    if (answer.ok && answer.data) {
      render(answer.data);
    } else if (answer.status === 404) {
      failed(answer, '');
    } else {
      showPageError(answer.status === 0
        ? '通信できませんでした。電波の良い所で、ページを読み込み直してください。'
        : 'ただいま表示できません。しばらくしてから、もう一度お試しください。', answer.data && answer.data.detail);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('receive').addEventListener('change', setReceive);
    $('withdraw').addEventListener('click', () => askWithdraw(true));
    $('withdraw-no').addEventListener('click', () => askWithdraw(false));
    $('withdraw-yes').addEventListener('click', withdraw);
    load();
  });
})();
