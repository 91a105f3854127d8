// One broadcast: live progress bars pushed by the gateway (/events), the per-school grid of a board broadcast, the
// confirmation rate chart and the unconfirmed households (the audited phone-call list, shown and downloadable).
import { $, el, say } from './dom.js';
import { call, download } from './api.js';
import { t, formatTime, formatNumber } from './i18n.js';
import { watch } from './live.js';
import { bars, schoolGrid } from './progress.js';
import { confirmationChart, pointsOf } from './chart.js';
import { parse } from './csv.js';

let stop = null;
let session = null;
let broadcastId = null;
let confirmedShown = -1;
let csvUrl = null;

function nameOf(schoolId) {
  const school = session.schools.find((s) => s.schoolId === schoolId);
  return school ? school.name : schoolId;
}

function statusText(status) {
  return t('status.' + status);
}

function onProgress(event) {
  $('detail-progress').replaceChildren(...bars('detail', event));
  $('detail-progress').dataset.status = event.status;
  $('detail-meta').dataset.status = event.status;
  $('detail-status').textContent = statusText(event.status);
  const board = event.schools.length > 1 || (session.role !== 'school' && session.role !== 'operator' && event.schools.length > 0);
  $('detail-schools-card').hidden = !board;
  if (board) {
    $('detail-schools').replaceChildren(...schoolGrid(event, nameOf));
  }
  $('detail-confirm-card').hidden = !event.confirmation;
  if (event.confirmation && event.confirmation.confirmedHouseholds !== confirmedShown) {
    confirmedShown = event.confirmation.confirmedHouseholds;
    drawChart();
  }
}

async function drawChart() {
  const answer = await call('GET', '/api/v1/broadcasts/' + encodeURIComponent(broadcastId) + '/report');
  if (!answer.ok) {
    return;
  }
  const report = answer.data;
  const points = pointsOf(report);
  const now = { at: new Date(report.generatedAt), percent: report.totals.confirmedPercent };
  if (!points.length || points[points.length - 1].at < now.at) {
    points.push(now);
  }
  $('detail-chart').replaceChildren(confirmationChart(points, {
    title: t('chartTitle'),
    description: t('chartDescription', {
      percent: report.totals.confirmedPercent,
      confirmed: formatNumber(report.totals.confirmedHouseholds),
      households: formatNumber(report.totals.reachedHouseholds),
      at: formatTime(report.generatedAt, false),
    }),
    time: (d) => formatTime(d, false),
  }));
}

async function showUnconfirmed() {
  const button = $('detail-unconfirmed');
  button.disabled = true;
  const blob = await download('/api/v1/broadcasts/' + encodeURIComponent(broadcastId) + '/unconfirmed.csv');
  button.disabled = false;
  if (!blob) {
    say(t('loadFailed'), 'error');
    return;
  }
  const rows = parse(await blob.text()).filter((r) => r.length > 1);
  const [head, ...lines] = rows;
  const columns = ['grade', 'class', 'child_name', 'guardian_name', 'masked_addresses', 'reason'];
  const index = columns.map((c) => head.indexOf(c));
  const shown = lines.slice(0, 500);
  const table = el('table', { class: 'table' },
    el('caption', {}, t('unconfirmedCaption', { count: formatNumber(lines.length) })),
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col' }, t('col.' + c))))),
    el('tbody', {}, shown.map((r) => el('tr', {}, index.map((i, n) => el('td', {}, n === 5 ? t('reason.' + r[i]) : r[i] ?? ''))))));
  $('detail-unconfirmed-table').replaceChildren(table);
  if (csvUrl) {
    URL.revokeObjectURL(csvUrl);
  }
  csvUrl = URL.createObjectURL(blob);
  const link = $('detail-csv');
  link.href = csvUrl;
  link.download = 'unconfirmed-' + broadcastId + '.csv';
  link.hidden = false;
}

let wired = false;
let current = null; // the broadcast shown

/** The approver of a draft: the principal for a school's, a board administrator for a board's. */
function isApprover(b) {
  return b.status === 'awaitingApproval' && (b.schoolId ? session.role === 'school' : session.role === 'board');
}

async function decide(action) {
  for (const id of ['detail-approve', 'detail-reject']) {
    $(id).disabled = true;
  }
  const answer = await call('POST', '/api/v1/broadcasts/' + encodeURIComponent(current.id) + '/' + action, action === 'reject' ? {} : undefined);
  for (const id of ['detail-approve', 'detail-reject']) {
    $(id).disabled = false;
  }
  if (!answer.ok) {
    say((answer.data && (answer.data.detail || answer.data.title)) || t('failed'), 'error');
    return;
  }
  $('detail-approval').hidden = true;
  say(t(action === 'approve' ? 'approved' : 'rejected', { subject: current.subject }), 'success');
}

export async function enter(signedIn, id) {
  session = signedIn;
  broadcastId = id;
  confirmedShown = -1;
  if (!wired) {
    $('detail-unconfirmed').addEventListener('click', showUnconfirmed);
    $('detail-approve').addEventListener('click', () => decide('approve'));
    $('detail-reject').addEventListener('click', () => decide('reject'));
    wired = true;
  }
  $('detail-unconfirmed-table').replaceChildren();
  $('detail-csv').hidden = true;
  $('detail-progress').replaceChildren();
  $('detail-chart').replaceChildren();
  $('detail-schools-card').hidden = true;
  $('detail-confirm-card').hidden = true;
  $('detail-live').textContent = '';
  $('detail-approval').hidden = true;
  $('detail-text').textContent = '';
  const answer = await call('GET', '/api/v1/broadcasts/' + encodeURIComponent(id));
  if (!answer.ok) {
    $('detail-title').textContent = t('notFound');
    $('detail-meta').replaceChildren();
    return;
  }
  const b = answer.data;
  current = b;
  $('detail-approval').hidden = !isApprover(b);
  const text = await call('GET', '/api/v1/broadcasts/' + encodeURIComponent(id) + '/text');
  $('detail-text').textContent = text.ok ? text.data.body : '';
  $('detail-text-box').open = isApprover(b);
  $('detail-title').textContent = b.subject;
  $('detail-meta').replaceChildren(
    el('span', { id: 'detail-status', class: 'status-badge' }, statusText(b.status)), ' ',
    t('detailMeta', { category: t('cat.' + b.category), at: formatTime(b.acceptedAt), by: b.submittedBy || '—', approvedBy: b.approvedBy || '—' }));
  stop = watch('/api/v1/broadcasts/' + encodeURIComponent(id) + '/events', (type, data) => {
    if (type === 'progress') {
      onProgress(JSON.parse(data));
    }
  }, (state) => {
    $('detail-live').textContent = t('live.' + state);
  });
}

export function leave() {
  if (stop) {
    stop();
    stop = null;
  }
}
