// node --test scripts/  (npm test): the normaliser on a small model and on copies of the real ones
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BpmnModdle } from 'bpmn-moddle';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./add-flow-refs.mjs', import.meta.url));
const MODELS = fileURLToPath(new URL('../src/main/resources/bpmn/', import.meta.url));

const SMALL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_small" targetNamespace="https://pathway.io/bpmn">
  <bpmn:process id="small" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="Start" name="Started" />
    <bpmn:subProcess id="Stage" name="Stage">
      <bpmn:startEvent id="StageStart" name="Stage started" />
      <bpmn:userTask id="Work" name="Work" camunda:candidateGroups="care-coordinators" camunda:dueDate="\${dueDates.after('P1D')}">
        <bpmn:extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="reason">a &amp; b</camunda:inputParameter>
          </camunda:inputOutput>
        </bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:boundaryEvent id="Late" name="Late" attachedToRef="Work" cancelActivity="false">
        <bpmn:timerEventDefinition id="LateTimer">
          <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration>
        </bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:endEvent id="StageEnd" name="Stage done" />
      <bpmn:endEvent id="LateEnd" name="Chased" />
      <bpmn:sequenceFlow id="F_StageStartToWork" sourceRef="StageStart" targetRef="Work" />
      <bpmn:sequenceFlow id="F_WorkToEnd" sourceRef="Work" targetRef="StageEnd" />
      <bpmn:sequenceFlow id="F_LateToEnd" sourceRef="Late" targetRef="LateEnd" />
    </bpmn:subProcess>
    <bpmn:endEvent id="End" name="Done" />
    <bpmn:sequenceFlow id="F_StartToStage" sourceRef="Start" targetRef="Stage" />
    <bpmn:sequenceFlow id="F_StageToEnd" sourceRef="Stage" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>
`;

async function scratch(name, content) {
  const dir = await mkdtemp(path.join(tmpdir(), 'add-flow-refs-'));
  const file = path.join(dir, name);
  await writeFile(file, content, 'utf8');
  return file;
}

async function normalise(...args) {
  try {
    const { stdout } = await run(process.execPath, [SCRIPT, ...args]);
    return { code: 0, stdout };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

async function parse(file) {
  const { rootElement } = await new BpmnModdle().fromXML(await readFile(file, 'utf8'));
  const byId = new Map();
  const visit = element => {
    if (element && typeof element === 'object' && element.$type) {
      if (element.id) byId.set(element.id, element);
      for (const child of element.flowElements ?? []) visit(child);
      for (const child of element.rootElements ?? []) visit(child);
    }
  };
  visit(rootElement);
  return byId;
}

const ids = refs => (refs ?? []).map(ref => ref.id).sort();

test('shouldWriteIncomingAndOutgoingOnEveryFlowNodeIncludingSubProcessesAndBoundaryEvents', async () => {
  // given a model without any incoming/outgoing
  const file = await scratch('small.bpmn', SMALL);
  // when
  const { code } = await normalise(file);
  // then
  assert.equal(code, 0);
  const byId = await parse(file);
  const expected = {
    Start: [[], ['F_StartToStage']],
    Stage: [['F_StartToStage'], ['F_StageToEnd']],
    End: [['F_StageToEnd'], []],
    StageStart: [[], ['F_StageStartToWork']],
    Work: [['F_StageStartToWork'], ['F_WorkToEnd']],
    Late: [[], ['F_LateToEnd']],
    StageEnd: [['F_WorkToEnd'], []],
    LateEnd: [['F_LateToEnd'], []],
  };
  for (const [id, [incoming, outgoing]] of Object.entries(expected)) {
    assert.deepEqual(ids(byId.get(id).incoming), incoming, `${id} incoming`);
    assert.deepEqual(ids(byId.get(id).outgoing), outgoing, `${id} outgoing`);
  }
});

test('shouldKeepCamundaAttributesExtensionElementsAndTheRootTag', async () => {
  const file = await scratch('small.bpmn', SMALL);
  await normalise(file);
  const xml = await readFile(file, 'utf8');
  assert.ok(xml.includes(SMALL.match(/<bpmn:definitions[^>]*>/)[0]), 'root tag as it was');
  assert.match(xml, /camunda:historyTimeToLive="P1D"/);
  assert.match(xml, /camunda:candidateGroups="care-coordinators"/);
  assert.match(xml, /camunda:dueDate="\$\{dueDates.after\(&#39;P1D&#39;\)\}"/);
  assert.match(xml, /<camunda:inputParameter name="reason">a &amp; b<\/camunda:inputParameter>/);
  assert.match(xml, /<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H<\/bpmn:timeDuration>/);
  assert.match(xml, /cancelActivity="false"/);
  assert.match(xml, /\n {6}<bpmn:userTask id="Work"[^\n]*>\n {8}<bpmn:extensionElements>/, 'one element per line');
});

test('shouldChangeNothingOnASecondRun', async () => {
  const file = await scratch('small.bpmn', SMALL);
  await normalise(file);
  const once = await readFile(file, 'utf8');
  const again = await normalise(file);
  const check = await normalise('--check', file);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /unchanged/);
  assert.equal(check.code, 0);
  assert.equal(await readFile(file, 'utf8'), once);
});

test('shouldReportButNotWriteWhenChecking', async () => {
  const file = await scratch('small.bpmn', SMALL);
  const { code, stdout } = await normalise('--check', file);
  assert.equal(code, 1);
  assert.match(stdout, /would change/);
  assert.equal(await readFile(file, 'utf8'), SMALL);
});

test('shouldLeaveAFileWithADanglingReferenceAlone', async () => {
  const broken = SMALL.replace('targetRef="End"', 'targetRef="Nowhere"');
  const file = await scratch('broken.bpmn', broken);
  const { code } = await normalise(file);
  assert.equal(code, 1);
  assert.equal(await readFile(file, 'utf8'), broken);
});

test('shouldReferenceEverySequenceFlowOfTheRealModelsFromBothEnds', async () => {
  const names = (await readdir(MODELS)).filter(name => name.endsWith('.bpmn'));
  assert.ok(names.length >= 3);
  for (const name of names) {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'add-flow-refs-')), name);
    await copyFile(path.join(MODELS, name), file);
    const { code } = await normalise(file);
    assert.equal(code, 0, name);
    const byId = await parse(file);
    const flows = [...byId.values()].filter(element => element.$type === 'bpmn:SequenceFlow');
    assert.ok(flows.length > 0, name);
    for (const flow of flows) {
      assert.ok(ids(flow.sourceRef.outgoing).includes(flow.id), `${name}: ${flow.id} outgoing of ${flow.sourceRef.id}`);
      assert.ok(ids(flow.targetRef.incoming).includes(flow.id), `${name}: ${flow.id} incoming of ${flow.targetRef.id}`);
    }
    const references = [...byId.values()]
      .reduce((sum, element) => sum + (element.incoming?.length ?? 0) + (element.outgoing?.length ?? 0), 0);
    assert.equal(references, 2 * flows.length, name);
  }
});
