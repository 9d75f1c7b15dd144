// The "Journey" tab of a task in Tasklist: the patient's pathway so far, newest first, in words a clinician reads,
// and where the pathway stands on its BPMN diagram(s), the current step highlighted. Data: GET /api/journey/tasks/{id}
// as the logged-in user (the service answers only what that user may read).
import { bpmnViewer, el, get, here, style, when } from './common.js';

async function draw(container, diagram) {
  const BpmnJS = await bpmnViewer();
  const xml = await get(`/journey/diagrams/${encodeURIComponent(diagram.definitionId)}`, 'text');
  const canvasNode = el('div', { class: 'pj-diagram' });
  container.appendChild(el('div', { class: 'pj-diagram-name' }, diagram.name || ''));
  container.appendChild(canvasNode);
  const viewer = new BpmnJS({ container: canvasNode });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  const shapes = viewer.get('elementRegistry');
  canvas.zoom('fit-viewport');
  const current = diagram.active.map(id => shapes.get(id)).filter(Boolean);
  // the step itself filled, the sub-process around it only outlined
  current.forEach(s => canvas.addMarker(s.id, s.type === 'bpmn:SubProcess' ? 'pathway-current-scope' : 'pathway-current'));
  // the whole model is large: centre the view on where the pathway stands, at a readable scale
  const task = current.find(s => /Task|CallActivity/.test(s.id)) || current[0];
  if (task) {
    const box = canvas.getSize();
    canvas.viewbox({ x: task.x + task.width / 2 - box.width / 2, y: task.y + task.height / 2 - box.height / 2, width: box.width, height: box.height });
  }
}

function item(i) {
  const lines = el('dl', { class: 'pj-lines' });
  (i.lines || []).forEach(l => { lines.appendChild(el('dt', {}, l.label)); lines.appendChild(el('dd', {}, l.value)); });
  return el('li', { class: `pj-${i.tone}` },
    el('div', { class: 'pj-when' }, when(i.at)),
    el('div', { class: 'pj-title' }, i.title),
    i.by ? el('div', { class: 'pj-by' }, `by ${i.by}`) : '',
    lines,
    i.reason ? el('div', { class: 'pj-reason' }, `Reason: ${i.reason}`) : '');
}

async function render(node, taskId) {
  const started = performance.now();
  const root = el('div', { class: 'pathway-journey', 'data-state': 'loading' }, 'Loading the journey…');
  node.appendChild(root);
  try {
    const j = await get(`/journey/tasks/${encodeURIComponent(taskId)}`);
    root.textContent = '';
    root.appendChild(el('div', { class: 'pj-head' },
      el('strong', {}, `Patient ${j.patientRef}`), ' · ', `stage: ${j.stage || 'not recorded'}`,
      j.outcome ? ` · outcome: ${j.outcome}` : ''));
    root.appendChild(el('div', { class: 'pj-now' }, el('strong', {}, 'Now: '), j.now));
    const diagrams = el('div', { class: 'pj-diagrams' });
    root.appendChild(diagrams);
    root.appendChild(el('ol', { class: 'pj-timeline' }, j.items.map(item)));
    root.setAttribute('data-data-ms', String(Math.round(performance.now() - started)));
    for (const d of j.diagrams) {
      await draw(diagrams, d);
    }
    root.setAttribute('data-state', 'ready');
    root.setAttribute('data-load-ms', String(Math.round(performance.now() - started)));
  } catch (e) {
    root.textContent = e.status === 404 ? 'No journey for this task: it is not one you may read.' : `The journey could not be loaded (${e.message}).`;
    root.setAttribute('data-state', 'error');
  }
}

style(`${here}/diagram-js.css`);
style(`${here}/bpmn-js.css`);
style(`${here}/journey.css`);

export default {
  id: 'pathway-journey',
  pluginPoint: 'tasklist.task.detail',
  priority: 900,
  render: (node, { taskId }) => { render(node, taskId); },
  properties: { label: 'Journey' }
};
