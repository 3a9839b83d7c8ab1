/**
 * The run record keeps the plan's edges (`StepRecord.after`), so a past run's DAG is drawn from the run itself and
 * not from the notebook as it is today.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { makeWorkspace, notebookJson, writeNotebook } from '../notebooks.js';

const DIAMOND = [
  [['step:load'], 'const a = 1;'],
  [['step:left', 'prev:load'], 'const b = a + 1;'],
  [['step:right', 'prev:load'], 'const c = a + 2;'],
  [['step:join', 'prev:left', 'prev:right'], 'const d = b + c;\nconsole.log(d);']
] as [string[], string][];

test('each step record names the steps it runs after, also once read back and after the notebook changed', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'diamond.ipynb', DIAMOND);
  const engine = new LocalEngine(dir);
  const compiled = await compileNotebookFile(path);
  const run = await engine.submit(compiled, { parameters: {}, concurrency: 2 });
  const finished = await run.done;
  assert.equal(finished.status, 'succeeded');
  const expected = Object.fromEntries(compiled.local.plan.steps.map(step => [step.name, step.dependencies]));
  assert.deepEqual(expected.join.slice().sort(), ['left', 'right']);
  const afterOf = (steps: Record<string, { after?: string[] }>) =>
    Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, step.after]));
  assert.deepEqual(afterOf(finished.steps), expected);

  // The notebook becomes one step: the past run still says what it ran after what.
  writeFileSync(path, JSON.stringify(notebookJson([[['step:load'], 'const a = 1;']])));
  const readBack = await new LocalEngine(dir).get(run.id);
  assert.deepEqual(afterOf(readBack.steps), expected);
});
