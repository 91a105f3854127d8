// English for the guardian pages, on request (Japanese first). The pages and their scripts write Japanese; in English
// mode this script replaces every known Japanese text (whole text nodes, and the title) with its English, including
// text the scripts write later (a MutationObserver), and puts the Japanese back when switched again. Text it does not
// know (an unusual message from the API) stays Japanese. Plain script, no build step; loaded before the page scripts.
'use strict';

(function () {
  const key = 'pta.guardian.lang';
  const exact = {
    '本文へ移動': 'Skip to content',
    '学校連絡メール': 'School mail',
    'メール配信の登録': 'Register for school mail',
    '登録内容の確認・変更': 'Your registration',
    'このページを使うには JavaScript を有効にしてください。': 'Please turn on JavaScript to use this page.',
    '読み込んでいます…': 'Loading…',
    '登録を受け付けました': 'Registration received',
    '登録を受け付けました。確認メール（登録完了メール）をお送りしました。メールに書かれたリンクから、登録内容の確認・アドレスの変更・配信の停止・退会ができます。':
      'Your registration was received and a confirmation mail is on its way. Its link lets you check your registration, change addresses, stop mail or leave.',
    'ごきょうだいを登録するときは、もう一度空メールを送り、届いたリンクから登録してください。':
      'To register a brother or sister, send a blank mail again and register from the new link.',
    '同意したプライバシーポリシー:': 'Privacy policy agreed to:',
    '版': 'edition',
    '登録先': 'Registering with',
    '学校': 'School',
    '登録するメールアドレス（アドレス1）': 'Address to register (address 1)',
    'このページの有効期限': 'This page works until',
    '迷惑メール対策をしている場合は、学校からのメールを受信できるように設定してください。':
      'If you filter spam, allow mail from the school.',
    '入力内容を確認してください。': 'Please check the fields below.',
    'お子様と保護者': 'Child and guardian',
    '認証コード': 'Authentication code',
    '必須': 'required',
    '学校から配られたコードを入力してください（例: 1234-5678）。': 'The code the school gave you (e.g. 1234-5678).',
    '学年': 'Grade',
    '選択': 'Choose',
    '組': 'Class',
    '例: 2、A': 'e.g. 2 or A',
    'お子様のお名前': "Child's name",
    '保護者のお名前': "Guardian's name",
    '追加のメールアドレス（任意・3件まで）': 'More addresses (optional, up to 3)',
    'アドレス2は一斉配信も届きます。アドレス3・4は連絡用で、一斉配信は届きません。':
      'Address 2 also gets broadcasts. Addresses 3 and 4 are for contact only and get no broadcasts.',
    'アドレス2（一斉配信あり）': 'Address 2 (gets broadcasts)',
    'アドレス3（連絡用）': 'Address 3 (contact only)',
    'アドレス4（連絡用）': 'Address 4 (contact only)',
    '個人情報の取り扱い': 'Your personal data',
    'いただく情報:': 'What we keep:',
    'お子様のお名前・学年・組、保護者のお名前、メールアドレス（最大4件）、同意した日時と通信元の IP アドレス。':
      "your child's name, grade and class, your name, up to 4 mail addresses, and when and from which IP address you agreed.",
    '使う目的:': 'What for:',
    '学校からの連絡（緊急連絡・一斉配信）のためだけに使います。それ以外の目的には使いません。':
      'only for mail from the school (emergencies and broadcasts), nothing else.',
    '学校に見える情報:': 'What the school sees:',
    'メールアドレスは一部を伏せた形（例: m***@docomo.ne.jp）でしか学校に表示されません。':
      'your addresses only partly hidden (e.g. m***@docomo.ne.jp).',
    '停止と退会:': 'Stopping and leaving:',
    '登録完了メールのリンクから、いつでも配信の停止や退会ができます。退会後、個人情報は保存期間が過ぎると削除されます。':
      'the link in the confirmation mail stops mail or ends your registration at any time; your data is deleted after the retention period.',
    'プライバシーポリシー': 'Privacy policy',
    '上記の個人情報の取り扱いに同意します': 'I agree to this use of my personal data',
    '登録する': 'Register',
    '送信しています…': 'Sending…',
    '認証コードが違います。学校から配られたコードをご確認ください。': 'Wrong authentication code. Check the code the school gave you.',
    '登録するには、個人情報の取り扱いへの同意が必要です。': 'To register, please agree to the use of your personal data.',
    '学年を選んでください。': 'Choose a grade.',
    '入力してください。': 'Required.',
    '使えない文字が含まれています。': 'Contains characters that cannot be used.',
    'このお子様には、すでに3人の保護者が登録されています。': 'Three guardians are already registered for this child.',
    'このリンクはすでに登録に使われています。ごきょうだいを登録するときは、もう一度空メールを送ってください。':
      'This link was already used. To register a brother or sister, send a blank mail again.',
    'このリンクの有効期限が切れました。もう一度空メールを送ってください。': 'This link has expired. Send a blank mail again.',
    'このリンクは使えません。有効期限が切れたか、すでに登録に使われています。もう一度空メールを送ってください。':
      'This link does not work: it expired or was already used. Send a blank mail again.',
    'このリンクは使えません。有効期限が切れたか、正しくありません。最新の登録完了メールのリンクを開いてください。':
      'This link does not work: it expired or is wrong. Open the link in your latest confirmation mail.',
    'ただいま登録できません。しばらくしてから、もう一度お試しください。': 'Registration is not possible right now. Please try again later.',
    'ただいま表示できません。しばらくしてから、もう一度お試しください。': 'This cannot be shown right now. Please try again later.',
    '通信できませんでした。電波の良い所で、もう一度「登録する」を押してください。': 'No connection. Where the signal is better, press Register again.',
    '通信できませんでした。電波の良い所で、もう一度お試しください。': 'No connection. Please try again where the signal is better.',
    '通信できませんでした。電波の良い所で、ページを読み込み直してください。': 'No connection. Reload the page where the signal is better.',
    '様': '',
    'メールアドレス': 'Mail addresses',
    'アドレス1・2には一斉配信が届きます。アドレス3・4は連絡用で、一斉配信は届きません。アドレスを変更すると確認メールを送ります。届くと「確認済み」になります。':
      'Addresses 1 and 2 get broadcasts; 3 and 4 are for contact only. A changed address gets a check mail; once it arrives, the address shows as verified.',
    '一斉配信': 'Broadcasts',
    '一斉配信メールを受け取る': 'Receive broadcast mail',
    'オフにすると、アドレス1・2にも一斉配信は届きません。緊急の際は、学校から電話で連絡することがあります。':
      'Off: no broadcasts reach addresses 1 and 2 either. In an emergency the school may phone you.',
    '登録しているお子様': 'Registered children',
    '登録しているお子様はいません。': 'No child is registered.',
    '同意の記録': 'Your consents',
    '登録データのダウンロード': 'Download your data',
    '登録されているすべての情報を JSON ファイルでダウンロードできます。': 'Download everything we keep about you as a JSON file.',
    'データをダウンロード': 'Download data',
    '退会': 'Leave',
    '退会すると、学校からのメールはすぐに届かなくなります。個人情報は保存期間が過ぎると削除されます。':
      'After leaving, school mail stops at once. Your data is deleted after the retention period.',
    '退会する': 'Leave',
    '本当に退会しますか？': 'Leave for good?',
    'すべてのお子様の登録が解除され、一斉配信も連絡用のメールも届かなくなります。': 'All your children are unregistered and no mail reaches you any more.',
    '退会を確定する': 'Yes, leave',
    'やめる': 'Cancel',
    '退会しました': 'You have left',
    '退会しました。今後、学校からのメールは届きません。登録された個人情報は、保存期間が過ぎると削除されます。':
      'You have left. No more school mail will reach you; your data is deleted after the retention period.',
    '退会日時:': 'Left at:',
    '新しいメールアドレス': 'New mail address',
    '変更する': 'Change',
    '削除する': 'Remove',
    '未登録': 'not registered',
    '確認済み': 'verified',
    '確認中': 'checking',
    '無効': 'invalid',
    '確認メールを送っています。届くと「確認済み」になります。': 'A check mail is on its way; once it arrives, the address shows as verified.',
    'このアドレスにはメールが届きませんでした。別のアドレスに変更してください。': 'Mail to this address did not arrive. Please change it.',
    '新しいメールアドレスを入力してください。': 'Enter the new mail address.',
    '一斉配信を受け取る設定にしました。': 'Broadcasts are on.',
    '一斉配信を停止しました。': 'Broadcasts are off.',
    '設定を変更できませんでした。しばらくしてから、もう一度お試しください。': 'The setting could not be changed. Please try again later.',
    'アドレスを変更できませんでした。しばらくしてから、もう一度お試しください。': 'The address could not be changed. Please try again later.',
    'アドレスを削除できませんでした。しばらくしてから、もう一度お試しください。': 'The address could not be removed. Please try again later.',
    '退会できませんでした。しばらくしてから、もう一度お試しください。': 'Leaving did not work. Please try again later.',
  };
  // Text the scripts build from parts: [pattern, English with $1…].
  const patterns = [
    [/^(\d+)年$/, 'Grade $1'],
    [/^アドレス(\d)（一斉配信あり）$/, 'Address $1 (gets broadcasts)'],
    [/^アドレス(\d)（連絡用）$/, 'Address $1 (contact only)'],
    [/^アドレス(\d)を変更する$/, 'Change address $1'],
    [/^アドレス(\d)を登録する$/, 'Register address $1'],
    [/^アドレス(\d)を削除する$/, 'Remove address $1'],
    [/^アドレス(\d)を変更しました。確認メールを送りました。$/, 'Address $1 changed; a check mail was sent.'],
    [/^アドレス(\d)を削除しました。$/, 'Address $1 removed.'],
    [/^(\d+) 文字以内で入力してください。$/, 'At most $1 characters.'],
    [/^メールアドレスの形式が正しくありません（(.*)）$/, 'Not a valid mail address ($1)'],
    [/^学校ID: (.*) ／ 登録番号: (.*)$/, 'School ID: $1 / registration number: $2'],
    [/^目的: 学校からの連絡（学校ID: (.*)）$/, 'Purpose: mail from the school (school ID: $1)'],
    [/^目的: (.*)$/, 'Purpose: $1'],
    [/^プライバシーポリシー: (.*) 版$/, 'Privacy policy: $1 edition'],
    [/^同意日時: (.*)$/, 'Agreed at: $1'],
    [/^同意の撤回: (.*)$/, 'Withdrawn at: $1'],
    [/^(.*): (.*)$/, null], // "field: message" lines of the error summary: translated part by part below
  ];
  const original = new WeakMap(); // text node → its Japanese
  let lang = localStorage.getItem(key) === 'en' ? 'en' : 'ja';
  let button = null;

  function english(text) {
    const trimmed = text.trim().replace(/\s+/g, ' ');
    if (!trimmed) {
      return null;
    }
    if (trimmed in exact) {
      return exact[trimmed];
    }
    for (const [pattern, replacement] of patterns) {
      const m = pattern.exec(trimmed);
      if (m && replacement) {
        return trimmed.replace(pattern, replacement);
      }
      if (m && !replacement && (exact[m[1]] !== undefined || exact[m[2]] !== undefined)) {
        return (exact[m[1]] ?? m[1]) + ': ' + (exact[m[2]] ?? m[2]);
      }
    }
    return null;
  }

  function translate(node) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.parentElement && node.parentElement.closest('script, style')) {
        return;
      }
      if (lang === 'en') {
        const en = english(node.textContent);
        if (en !== null && en !== node.textContent) {
          original.set(node, node.textContent);
          const lead = node.textContent.match(/^\s*/)[0];
          const tail = node.textContent.match(/\s*$/)[0];
          node.textContent = lead + en + tail;
        }
      } else if (original.has(node)) {
        node.textContent = original.get(node);
        original.delete(node);
      }
      return;
    }
    for (const child of node.childNodes) {
      translate(child);
    }
  }

  function applyAll() {
    document.documentElement.lang = lang;
    if (document.title && document.body) {
      const title = document.querySelector('title');
      if (!title.dataset.ja) {
        title.dataset.ja = title.textContent;
      }
      document.title = lang === 'en' ? english(title.dataset.ja) ?? title.dataset.ja : title.dataset.ja;
    }
    observer.disconnect();
    translate(document.body);
    for (const template of document.querySelectorAll('template')) {
      translate(template.content);
    }
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    if (button) {
      button.textContent = lang === 'en' ? '日本語' : 'English';
      button.lang = lang === 'en' ? 'ja' : 'en';
    }
  }

  const observer = new MutationObserver((records) => {
    if (lang !== 'en') {
      return;
    }
    observer.disconnect();
    for (const record of records) {
      if (record.type === 'characterData') {
        translate(record.target);
      }
      for (const node of record.addedNodes) {
        translate(node);
      }
    }
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  document.addEventListener('DOMContentLoaded', () => {
    const header = document.querySelector('header.site');
    button = document.createElement('button');
    button.type = 'button';
    button.id = 'lang';
    button.className = 'lang';
    button.addEventListener('click', () => {
      lang = lang === 'en' ? 'ja' : 'en';
      localStorage.setItem(key, lang);
      applyAll();
    });
    header.append(button);
    applyAll();
  });
})();
