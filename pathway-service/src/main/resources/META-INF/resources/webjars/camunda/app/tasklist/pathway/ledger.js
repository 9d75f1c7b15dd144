// The variance ledger, a page of Tasklist (#/ledger) for clinical leads and administrators: how the service performs
// against its own deadlines per week or month, with charts, the breaches and their causes, overrides and omissions,
// and a CSV export. Data: GET /api/ledger (the service refuses anyone outside pathway-leads and camunda-admin).
import { api, el, get, here, style, when } from './common.js';

const NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const n = document.createElementNS(NS, tag);
  Object.entries(attrs).forEach(([k, v]) => n.setAttribute(k, v));
  if (text !== undefined) n.textContent = text;
  return n;
}

/** Bars per period (oldest left): one series or two side by side, with the SLA as a dashed line. */
function bars(title, rows, series, sla) {
  const w = 640, h = 180, left = 40, bottom = 30, data = rows.slice().reverse();
  const max = Math.max(sla || 0, 1, ...data.flatMap(r => series.map(s => s.value(r) || 0)));
  const chart = svg('svg', { width: w, height: h, class: 'pl-chart', role: 'img', 'aria-label': title });
  const slot = (w - left) / Math.max(1, data.length), bw = Math.max(4, (slot - 6) / series.length);
  chart.appendChild(svg('line', { x1: left, y1: h - bottom, x2: w, y2: h - bottom, stroke: '#999' }));
  chart.appendChild(svg('text', { x: 0, y: 12 }, String(Math.round(max))));
  data.forEach((r, i) => {
    series.forEach((s, k) => {
      const v = s.value(r) || 0, bh = (h - bottom - 10) * v / max;
      const rect = svg('rect', { x: left + i * slot + k * bw, y: h - bottom - bh, width: bw - 1, height: bh, fill: s.colour });
      rect.appendChild(svg('title', {}, `${r.period} ${s.name}: ${v}`));
      chart.appendChild(rect);
    });
    if (i % Math.ceil(data.length / 8) === 0) chart.appendChild(svg('text', { x: left + i * slot, y: h - 10 }, r.period));
  });
  if (sla) {
    const y = h - bottom - (h - bottom - 10) * sla / max;
    chart.appendChild(svg('line', { x1: left, y1: y, x2: w, y2: y, stroke: '#c9302c', 'stroke-dasharray': '4 3' }));
    chart.appendChild(svg('text', { x: w - 60, y: y - 3, fill: '#c9302c' }, `SLA ${sla} min`));
  }
  const legend = el('div', {}, series.map(s => el('span', { style: `color:${s.colour};margin-right:12px` }, `■ ${s.name}`)));
  return el('div', { class: 'pl-chartbox' }, el('h4', {}, title), chart, legend);
}

function table(head, rows) {
  return el('table', {}, el('tr', {}, head.map(h => el('th', {}, h))),
    rows.map(r => el('tr', {}, r.map(c => el('td', {}, c === null || c === undefined ? '–' : String(c))))));
}

async function show(root, per) {
  const started = performance.now();
  root.setAttribute('data-state', 'loading');
  let l;
  try {
    l = await get(`/ledger?per=${per}&periods=12`);
  } catch (e) {
    root.textContent = e.status === 403 || e.status === 401
      ? 'The variance ledger is for clinical leads (group pathway-leads) and administrators.'
      : `The ledger could not be loaded (${e.message}).`;
    root.setAttribute('data-state', 'error');
    return;
  }
  root.textContent = '';
  const other = per === 'week' ? 'month' : 'week';
  const switcher = el('a', { href: 'javascript:void(0)', class: 'pl-switch' }, `Show per ${other}`);
  switcher.addEventListener('click', () => show(root, other));
  root.appendChild(el('h2', {}, `Variance ledger, per ${per}`));
  root.appendChild(el('p', {}, `As of ${when(l.at)}. Patients appear only by their pseudonymous reference. `, switcher, ' · ',
    el('a', { href: `${api}/ledger/csv?per=${per}&periods=12`, download: `pathway-ledger-${per}.csv`, class: 'pl-csv' }, 'Download CSV')));
  root.appendChild(bars('Red flag to referral (minutes)', l.rows, [
    { name: 'median', colour: '#337ab7', value: r => r.redFlagToReferral.medianMinutes },
    { name: '95th percentile', colour: '#f0ad4e', value: r => r.redFlagToReferral.p95Minutes }]));
  root.appendChild(bars('Red flag to confirmation (minutes)', l.rows, [
    { name: 'median', colour: '#337ab7', value: r => r.redFlagToConfirmation.medianMinutes },
    { name: '95th percentile', colour: '#f0ad4e', value: r => r.redFlagToConfirmation.p95Minutes }]));
  root.appendChild(el('h4', {}, 'Per period'));
  root.appendChild(table(['period', 'red flags', 'referral median / p95 (min)', 'referral outside SLA', 'confirmation median / p95 (min)',
    'confirmation outside SLA', 'results overdue', 'chases', 'overrides', 'pathways ended', 'median days in stage'],
    l.rows.map(r => [r.period, r.redFlagToReferral.count,
      `${r.redFlagToReferral.medianMinutes ?? '–'} / ${r.redFlagToReferral.p95Minutes ?? '–'}`, r.redFlagToReferral.outsideSla,
      `${r.redFlagToConfirmation.medianMinutes ?? '–'} / ${r.redFlagToConfirmation.p95Minutes ?? '–'}`, r.redFlagToConfirmation.outsideSla,
      r.resultsOverdue, r.chases, r.overrides,
      Object.entries(r.pathwaysByOutcome).map(([k, v]) => `${k}: ${v}`).join('; '),
      Object.entries(r.medianDaysInStage).map(([k, v]) => `${k}: ${v}`).join('; ')])));
  root.appendChild(bars('Results overdue and chases', l.rows, [
    { name: 'results overdue', colour: '#d9534f', value: r => r.resultsOverdue },
    { name: 'chases', colour: '#5cb85c', value: r => r.chases }]));
  root.appendChild(el('h4', { class: 'pl-breach' }, `Deadlines missed (${l.breaches.length})`));
  root.appendChild(table(['patient', 'red flag', 'observed', 'deadline', 'referral', 'confirmed', 'missed', 'cause'],
    l.breaches.map(b => [b.patientRef, b.flags, when(b.observedAt), when(b.deadline), when(b.referralAt), when(b.confirmedAt), b.measure, b.cause])));
  root.appendChild(el('h4', {}, `Overrides of a proposal (${l.overrides.length})`));
  root.appendChild(table(['when', 'patient', 'decision', 'proposed', 'chosen', 'reason'],
    l.overrides.map(o => [when(o.at), o.patientRef, o.decision, o.proposal, o.choice, o.reason])));
  root.appendChild(el('h4', {}, `Omissions (${l.omissions.length})`));
  root.appendChild(table(['patient', 'what', 'since', 'detail'], l.omissions.map(o => [o.patientRef, o.what, when(o.since), o.detail])));
  root.setAttribute('data-state', 'ready');
  root.setAttribute('data-per', per);
  root.setAttribute('data-load-ms', String(Math.round(performance.now() - started)));
}

style(`${here}/journey.css`);

export default [{
  id: 'pathway-ledger',
  pluginPoint: 'tasklist.route',
  priority: 0,
  properties: { path: '/ledger', label: 'Variance ledger' },
  render: (node) => {
    const root = el('div', { class: 'pathway-ledger' });
    node.appendChild(root);
    show(root, 'week');
  }
}, {
  id: 'pathway-ledger-link',
  pluginPoint: 'tasklist.navbar.action',
  priority: 100,
  render: (node) => {
    // only for those who may read it
    get('/ledger/access', 'text').then(() => {
      node.appendChild(el('a', { href: '#/ledger', class: 'pathway-ledger-link', title: 'Variance ledger' }, 'Variance ledger'));
    }).catch(() => {});
  }
}];
