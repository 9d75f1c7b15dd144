// Shared by Pathway's Tasklist plugins: where our API is, styles, the bpmn-js viewer, and small DOM helpers.
const appRoot = document.querySelector('base').getAttribute('app-root'); // e.g. /camunda
export const here = `${appRoot}/app/tasklist/pathway`;
export const api = `${appRoot.replace(/\/camunda$/, '')}/api`;

export function style(href) {
  if (!document.querySelector(`link[href="${href}"]`)) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    document.head.appendChild(link);
  }
}

/** GET as the logged-in Tasklist user (the session cookie); JSON or text. */
export async function get(path, as = 'json') {
  const response = await fetch(`${api}${path}`, { credentials: 'same-origin', headers: { Accept: as === 'json' ? 'application/json' : '*/*' } });
  if (!response.ok) {
    const error = new Error(`${response.status}`);
    error.status = response.status;
    throw error;
  }
  return as === 'json' ? response.json() : response.text();
}

let viewer;
/** The bpmn-js viewer, bundled with the service (no CDN). Tasklist's AMD loader is hidden while it loads. */
export function bpmnViewer() {
  if (!viewer) {
    viewer = new Promise((resolve, reject) => {
      if (window.BpmnJS) {
        resolve(window.BpmnJS);
        return;
      }
      const amd = window.define;
      window.define = undefined;
      const script = document.createElement('script');
      script.src = `${here}/bpmn-viewer.js`;
      script.onload = () => { window.define = amd; resolve(window.BpmnJS); };
      script.onerror = () => { window.define = amd; reject(new Error('bpmn-js did not load')); };
      document.head.appendChild(script);
    });
  }
  return viewer;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([k, v]) => {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  });
  children.flat().forEach(c => node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c));
  return node;
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
