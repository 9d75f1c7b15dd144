#!/usr/bin/env node
// Writes the <bpmn:incoming>/<bpmn:outgoing> references that the Camunda Modeler keeps on every flow
// node, derived from the sequence flows' sourceRef/targetRef, into the given BPMN files (in place).
//
//   npm run add-flow-refs [-- FILE.bpmn...]            rewrite the files (default: every model
//                                                      in src/main/resources/bpmn)
//   npm run add-flow-refs -- --check [FILE.bpmn...]    change nothing; exit 1 if a file would change
// Relative FILE paths are taken from the directory npm was started in.
//
// Existing incoming/outgoing references are recomputed, so the script can run again after any edit.
// The file is read and written with bpmn-moddle: extension elements, camunda attributes, DI,
// namespace prefixes and ids are kept; the output is indented, one element per line, like the
// Modeler's. Elements come out in the order of the BPMN schema (as the Modeler writes them).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';

const MODELS = fileURLToPath(new URL('../src/main/resources/bpmn/', import.meta.url));
const args = process.argv.slice(2);
const check = args[0] === '--check';
const given = check ? args.slice(1) : args;
const base = process.env.INIT_CWD ?? process.cwd();
const files = given.length > 0
  ? given.map(file => path.resolve(base, file))
  : (await readdir(MODELS)).filter(name => name.endsWith('.bpmn')).sort().map(name => path.join(MODELS, name));

/** Every element that holds flow elements: processes, (event, ad-hoc, transaction) sub-processes. */
function* containers(root) {
  for (const element of root.rootElements ?? []) {
    if (element.$instanceOf('bpmn:Process')) {
      yield* nested(element);
    }
  }
}

function* nested(container) {
  yield container;
  for (const element of container.flowElements ?? []) {
    if (element.$instanceOf('bpmn:SubProcess')) {
      yield* nested(element);
    }
  }
}

function addFlowRefs(definitions) {
  const problems = [];
  const all = [...containers(definitions)];
  for (const container of all) {
    for (const element of container.flowElements ?? []) {
      if (element.$instanceOf('bpmn:FlowNode')) {
        element.incoming = [];
        element.outgoing = [];
      }
    }
  }
  for (const container of all) {
    for (const flow of container.flowElements ?? []) {
      if (!flow.$instanceOf('bpmn:SequenceFlow')) {
        continue;
      }
      if (!flow.sourceRef || !flow.targetRef) {
        problems.push(`sequence flow ${flow.id} has no ${flow.sourceRef ? 'targetRef' : 'sourceRef'}`);
        continue;
      }
      flow.sourceRef.get('outgoing').push(flow);
      flow.targetRef.get('incoming').push(flow);
    }
  }
  return problems;
}

const ROOT_TAG = /<(?:[\w.-]+:)?definitions\b[^>]*>/;

function attributes(tag) {
  return new Map([...tag.matchAll(/([\w:.-]+)="([^"]*)"/g)].map(match => [match[1], match[2]]));
}

/** bpmn-moddle reorders the namespace declarations; keep the original tag when it says the same. */
function keepRootTag(original, output) {
  const before = original.match(ROOT_TAG)?.[0];
  const after = output.match(ROOT_TAG)?.[0];
  if (!before || !after) {
    return output;
  }
  const a = attributes(before);
  const b = attributes(after);
  const same = a.size === b.size && [...a].every(([name, value]) => b.get(name) === value);
  return same ? output.replace(after, () => before) : output;
}

const moddle = new BpmnModdle();
let failed = false;
for (const file of files) {
  const original = await readFile(file, 'utf8');
  const { rootElement, warnings } = await moddle.fromXML(original, 'bpmn:Definitions');
  if (warnings.length > 0) {
    // an unresolved reference or an unknown element would be dropped on the way out: touch nothing
    for (const warning of warnings) {
      console.error(`${file}: ${warning.message}`);
    }
    failed = true;
    continue;
  }
  const problems = addFlowRefs(rootElement);
  if (problems.length > 0) {
    problems.forEach(problem => console.error(`${file}: ${problem}`));
    failed = true;
    continue;
  }
  const { xml } = await moddle.toXML(rootElement, { format: true });
  const output = keepRootTag(original, xml.endsWith('\n') ? xml : `${xml}\n`);
  if (output === original) {
    console.log(`${file}: unchanged`);
  } else if (check) {
    console.log(`${file}: would change`);
    failed = true;
  } else {
    await writeFile(file, output, 'utf8');
    console.log(`${file}: incoming/outgoing written`);
  }
}
process.exit(failed ? 1 : 0);
