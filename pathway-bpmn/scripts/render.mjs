#!/usr/bin/env node
// Renders each BPMN process model to a PNG with bpmn-js, the Modeler's renderer, in Debian's headless
// Chromium driven by playwright-core (no browser download; install the Debian package `chromium`).
//
//   npm run render                     every model in src/main/resources/bpmn -> docs/<name>.png
//   npm run render -- FILE.bpmn...     only these (written to docs/ under the same base name)
//
// bpmn-js and its CSS are loaded from node_modules into a blank page: nothing is fetched from the
// network. CHROMIUM=/path/to/chromium overrides the browser.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const HERE = fileURLToPath(new URL('..', import.meta.url));
const MODELS = path.join(HERE, 'src/main/resources/bpmn');
const OUT = path.join(HERE, 'docs');
const BPMN_JS = path.join(HERE, 'node_modules/bpmn-js/dist');
const EXECUTABLE = process.env.CHROMIUM ?? '/usr/bin/chromium';
const MARGIN = 24;
const SCALE = 1.5; // device pixels per diagram unit: labels stay readable when the image is scaled down

const base = process.env.INIT_CWD ?? process.cwd();
const given = process.argv.slice(2);
const files = given.length > 0
  ? given.map(file => path.resolve(base, file))
  : (await readdir(MODELS)).filter(name => name.endsWith('.bpmn')).sort().map(name => path.join(MODELS, name));

if (!existsSync(EXECUTABLE)) {
  console.error(`${EXECUTABLE} not found: apt-get install -y chromium (or set CHROMIUM)`);
  process.exit(2);
}

await mkdir(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: EXECUTABLE,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  for (const file of files) {
    const xml = await readFile(file, 'utf8');
    const page = await browser.newPage({ viewport: { width: 800, height: 600 }, deviceScaleFactor: SCALE });
    // only the local files below: refuse anything the page would fetch
    await page.route('**/*', route => route.abort());
    await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
      + '<body style="margin:0;background:#fff"><div id="canvas"></div></body></html>');
    await page.addStyleTag({ path: path.join(BPMN_JS, 'assets/diagram-js.css') });
    await page.addStyleTag({ path: path.join(BPMN_JS, 'assets/bpmn-js.css') });
    await page.addScriptTag({ path: path.join(BPMN_JS, 'bpmn-viewer.production.min.js') });
    const result = await page.evaluate(async ({ xml, margin }) => {
      const container = document.getElementById('canvas');
      const viewer = new window.BpmnJS({ container });
      const { warnings } = await viewer.importXML(xml);
      const canvas = viewer.get('canvas');
      const inner = canvas.viewbox().inner;
      const width = Math.ceil(inner.width + 2 * margin);
      const height = Math.ceil(inner.height + 2 * margin);
      container.style.width = `${width}px`;
      container.style.height = `${height}px`;
      canvas.resized();
      canvas.viewbox({ x: inner.x - margin, y: inner.y - margin, width, height });
      return { width, height, warnings: warnings.map(warning => warning.message) };
    }, { xml, margin: MARGIN });
    for (const warning of result.warnings) {
      console.error(`${file}: ${warning}`);
      failed = true;
    }
    await page.setViewportSize({ width: result.width, height: result.height });
    const target = path.join(OUT, `${path.basename(file, '.bpmn')}.png`);
    await page.locator('#canvas').screenshot({ path: target });
    console.log(`${path.relative(HERE, target)} (${result.width} x ${result.height})`);
    await page.close();
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
