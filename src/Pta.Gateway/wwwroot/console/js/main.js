// The console's entry: sign-in, the header, and a hash router over the views. Each view module exports
// enter(session, argument) and, if it holds a live connection, leave().
import { $, say } from './dom.js';
import { call, credential, whenUnauthorized } from './api.js';
import { apply, setLang, currentLang, t, onLangChange } from './i18n.js';
import * as compose from './compose.js';
import * as queue from './queue.js';
import * as board from './board.js';
import * as broadcasts from './broadcasts.js';
import * as detail from './detail.js';
import * as cluster from './cluster.js';

const schoolRoles = ['school', 'operator'];
const views = {
  compose: { module: compose, roles: schoolRoles },
  queue: { module: queue, roles: schoolRoles },
  board: { module: board, roles: ['board', 'boardOperator'] },
  broadcasts: { module: broadcasts },
  broadcast: { module: detail, section: 'detail' },
  cluster: { module: cluster, roles: ['board'] },
};

let session = null;
let current = null;

function showOnly(section) {
  for (const node of document.querySelectorAll('main > .view')) {
    node.hidden = node.id !== 'view-' + section;
  }
}

function renderHeader() {
  const signedIn = session !== null;
  $('nav').hidden = !signedIn;
  $('signout').hidden = !signedIn;
  $('who').hidden = !signedIn;
  if (!signedIn) {
    return;
  }
  const where = session.schoolId ? (session.schools[0] || {}).name || session.schoolId : session.boardName || session.boardId;
  $('who').textContent = t('signedInAs', { label: session.label, role: t('role.' + session.role), where });
  for (const item of $('nav').querySelectorAll('[data-roles]')) {
    item.hidden = !item.dataset.roles.split(' ').includes(session.role);
  }
}

async function route() {
  if (current && current.module.leave) {
    current.module.leave();
  }
  current = null;
  if (!session) {
    showOnly('signin');
    return;
  }
  const [name, argument] = (location.hash.slice(1) || '').split('/');
  const fallback = schoolRoles.includes(session.role) ? 'compose' : 'board';
  const view = views[name];
  if (!view || (view.roles && !view.roles.includes(session.role))) {
    location.replace('#' + fallback);
    return;
  }
  current = view;
  say('');
  for (const link of $('nav').querySelectorAll('a')) {
    link.toggleAttribute('aria-current', link.getAttribute('href') === '#' + name || (name === 'broadcast' && link.getAttribute('href') === '#broadcasts'));
  }
  showOnly(view.section || name);
  await view.module.enter(session, argument ? decodeURIComponent(argument) : undefined);
  const heading = document.querySelector('#view-' + (view.section || name) + ' h1');
  if (heading && document.activeElement === document.body) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
}

async function loadSession() {
  const answer = await call('GET', '/api/v1/session');
  session = answer.ok ? answer.data : null;
  return answer;
}

async function signIn(event) {
  event.preventDefault();
  const token = $('signin-token').value.trim();
  const error = $('signin-error');
  error.hidden = true;
  if (!token) {
    error.textContent = t('tokenRequired');
    error.hidden = false;
    $('signin-token').focus();
    return;
  }
  credential.set(token);
  const answer = await loadSession();
  if (!session) {
    credential.clear();
    error.textContent = answer.status === 0 ? t('networkError') : t('tokenRejected');
    error.hidden = false;
    $('signin-token').setAttribute('aria-invalid', 'true');
    $('signin-token').focus();
    return;
  }
  $('signin-token').value = '';
  $('signin-token').removeAttribute('aria-invalid');
  renderHeader();
  await route();
}

function signOut() {
  credential.clear();
  session = null;
  renderHeader();
  location.hash = '';
  route();
}

document.addEventListener('DOMContentLoaded', async () => {
  apply();
  $('lang').addEventListener('click', () => setLang(currentLang() === 'en' ? 'ja' : 'en'));
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  whenUnauthorized(() => {
    if (session) {
      signOut();
      say(t('signedOut'), 'error');
    }
  });
  onLangChange(() => {
    renderHeader();
    route();
  });
  window.addEventListener('hashchange', route);
  if (credential.get()) {
    await loadSession();
  }
  renderHeader();
  await route();
});
