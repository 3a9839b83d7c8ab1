/**
 * The run checks the plan: writes the static analysis cannot see are caught
 * while the pipeline runs, on real step processes. Each notebook here hides
 * a write from the analysis on purpose (an alias made by a call's result,
 * which the analysis does not follow), so only the run-time check sees it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { analyzeNotebookWithLearnt } from '../../src/compile/index.js';
import { runStraightThrough } from '../../src/engine/local/straight-run.js';
import { readNotebookFile } from '../../src/notebook/file.js';
import { recordedFingerprints } from '../../src/runtime/marshal.js';
import { makeWorkspace, writeNotebook, type CellSpec } from '../notebooks.js';
import { cli, runNotebook } from './helpers.js';

/** A function that returns its argument: `pick(rows)` is `rows`, which the analysis cannot know. */
const pickCell: CellSpec = [['functions'], 'function pick<T>(value: T): T {\n  return value;\n}'];

async function straightMetrics(path: string): Promise<Record<string, number>> {
  const analysis = analyzeNotebook((await readNotebookFile(path)).json);
  const straight = await runStraightThrough(analysis, path);
  assert.equal(straight.exitCode, 0, straight.stderr);
  return straight.metrics;
}

test('a write through an alias the analysis cannot see is caught, handed on downstream, and learnt', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'alias.ipynb', [
    pickCell,
    [['step:load'], 'const rows = [{ v: 1 }, { v: 2 }];'],
    [['step:scale', 'prev:load'], 'const r = pick(rows);\nr[0].v = 10;\nconst label = "scaled";'],
    [['step:total', 'prev:scale'], 'const total = rows.reduce((sum, row) => sum + row.v, 0);\nconsole.log(label);'],
    [['pipeline-metrics'], 'total']
  ]);
  const before = analyzeNotebook((await readNotebookFile(path)).json).ir;
  assert.deepEqual(before.steps.find(s => s.name === 'scale')!.outs, ['label'], 'the analysis misses the write');

  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.deepEqual(record.steps.scale.unplannedWrites, [{ name: 'rows', from: 'load', how: 'mutated' }]);
  assert.match(
    recordedFingerprints(record.steps.load.outputsDir!).rows ?? '',
    /^[0-9a-f]{16}$/,
    'scale checked rows against the fingerprint load recorded'
  );
  assert.equal(record.steps.total.inputsFrom?.rows, 'scale', 'the downstream step gets the changed value');
  assert.deepEqual(record.metrics, { total: 12 });
  assert.deepEqual(record.metrics, await straightMetrics(path));

  const learnt = analyzeNotebookWithLearnt((await readNotebookFile(path)).json, path).ir;
  const scale = learnt.steps.find(s => s.name === 'scale')!;
  assert.deepEqual(scale.outs, ['label', 'rows']);
  assert.deepEqual(scale.learnt, ['rows']);
  assert.equal(learnt.steps.find(s => s.name === 'total')!.ins.find(i => i.name === 'rows')?.from, 'scale');

  const shown = cli(['analyze', path]);
  assert.match(shown.stdout, /rows/);
  assert.match(shown.stdout, /learnt/);
});

test('a value with no recorded fingerprint (an instance of a notebook class) is checked as loaded instead', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'instance.ipynb', [
    pickCell,
    [['functions'], 'class Tally {\n  count = 1;\n}'],
    [['step:make'], 'const tally = new Tally();'],
    [['step:bump', 'prev:make'], 'pick(tally).count = 5;\nconst note = "bumped";'],
    [['step:report', 'prev:bump'], 'const seen = tally.count;\nconsole.log(note);'],
    [['pipeline-metrics'], 'seen']
  ]);
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.equal(recordedFingerprints(record.steps.make.outputsDir!).tally, undefined, 'no portable fingerprint');
  assert.deepEqual(record.steps.bump.unplannedWrites, [{ name: 'tally', from: 'make', how: 'mutated' }]);
  assert.deepEqual(record.metrics, { seen: 5 });
  assert.deepEqual(record.metrics, await straightMetrics(path));
});

test('a write through another view of the same buffer is caught as well', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'view.ipynb', [
    pickCell,
    [['step:load'], 'const data = new Float64Array([1, 2, 3]);'],
    [['step:bump', 'prev:load'], 'const view = new Float64Array(pick(data).buffer);\nview.fill(5);\nconst tag = 1;'],
    [['step:sum', 'prev:bump'], 'const sum = data.reduce((a, b) => a + b, 0) + tag;'],
    [['pipeline-metrics'], 'sum']
  ]);
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.deepEqual(
    record.steps.bump.unplannedWrites?.map(w => w.name),
    ['data'],
    'a write through a second view of the same buffer'
  );
  assert.deepEqual(record.metrics, await straightMetrics(path));
});

test('a later step that is not downstream of an unseen write is refused, with no metrics', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'sibling.ipynb', [
    pickCell,
    [['step:load'], 'const rows = [{ v: 1 }, { v: 2 }];'],
    [['step:scale', 'prev:load'], 'pick(rows)[0].v = 10;\nconst done = true;'],
    [['step:report', 'prev:load'], 'const total = rows.reduce((sum, row) => sum + row.v, 0);'],
    [['pipeline-metrics'], 'total']
  ]);
  const record = await runNotebook(path, { useCache: false, concurrency: 1 });
  assert.equal(record.status, 'failed');
  const error = record.steps.scale.error!;
  assert.equal(error.kind, 'plan-check');
  assert.equal(error.code, 'unplanned-write-seen-later');
  assert.match(error.message, /`scale`.*`rows`.*`report`/s);
  assert.match(error.hint!, /prev:scale/);
  assert.deepEqual(record.metrics, {}, 'never a different number: no metrics from a run that failed its check');
  assert.notEqual(record.steps.report.status, 'succeeded');

  // The next analysis knows the write, so the notebook is refused before anything runs.
  const learnt = analyzeNotebookWithLearnt((await readNotebookFile(path)).json, path).ir;
  assert.deepEqual(learnt.steps.find(s => s.name === 'scale')!.learnt, ['rows']);
});

test('a step that changes prelude state a later step uses is refused', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'prelude.ipynb', [
    [
      ['functions'],
      'const rng = { state: 7 };\nfunction next(): number {\n  rng.state = (rng.state * 48271) % 2147483647;\n  return rng.state;\n}'
    ],
    [['step:first'], 'const a = next();'],
    [['step:second', 'prev:first'], 'const b = next() + a;'],
    [['pipeline-metrics'], 'b']
  ]);
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'failed');
  const error = record.steps.first.error!;
  assert.equal(error.code, 'prelude-state-changed');
  assert.match(error.message, /`rng`/);
  assert.match(error.message, /`second`/);
  assert.equal(error.cellIndex, 0, 'points at the functions cell that defines the state');
  assert.deepEqual(record.metrics, {});
});

test('prelude state that only the last step changes is fine', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'prelude-last.ipynb', [
    [['functions'], 'const counter = { n: 0 };\nfunction tick(): number {\n  return ++counter.n;\n}'],
    [['step:first'], 'const a = 1;'],
    [['step:second', 'prev:first'], 'const b = tick() + a;'],
    [['pipeline-metrics'], 'b']
  ]);
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.deepEqual(record.metrics, await straightMetrics(path));
});

test('a process.env change reaches downstream steps, and is refused for a later step that is not downstream', async () => {
  const dir = makeWorkspace('check-');
  const carried = writeNotebook(dir, 'env.ipynb', [
    [['step:configure'], "process.env.CELLFLOW_TEST_MODE = 'fast';\nconst configured = 1;"],
    [['step:middle', 'prev:configure'], 'const m = configured + 1;'],
    [['step:use', 'prev:middle'], "const speed = (process.env.CELLFLOW_TEST_MODE === 'fast' ? 10 : 1) + m;"],
    [['pipeline-metrics'], 'speed']
  ]);
  const record = await runNotebook(carried, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.deepEqual(record.metrics, { speed: 12 });
  assert.deepEqual(record.metrics, await straightMetrics(carried));

  const refused = writeNotebook(dir, 'env-sibling.ipynb', [
    [['step:configure'], "process.env.CELLFLOW_TEST_MODE = 'fast';\nconst configured = 1;"],
    [['step:other'], "const speed = process.env.CELLFLOW_TEST_MODE === 'fast' ? 10 : 1;"],
    [['pipeline-metrics'], 'speed']
  ]);
  const failed = await runNotebook(refused, { useCache: false, concurrency: 1 });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.steps.configure.error?.code, 'env-change-not-downstream');
  assert.match(failed.steps.configure.error!.message, /CELLFLOW_TEST_MODE/);
  assert.deepEqual(failed.metrics, {});
});

test('a step that sets a global a later step could see is refused', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'global.ipynb', [
    [['step:first'], '(globalThis as any).threshold = 0.5;\nconst a = 1;'],
    [['step:second', 'prev:first'], 'const b = a + ((globalThis as any).threshold ?? 0);'],
    [['pipeline-metrics'], 'b']
  ]);
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'failed');
  assert.equal(record.steps.first.error?.code, 'global-state-changed');
  assert.match(record.steps.first.error!.message, /globalThis\.threshold/);
});

test('the CLI shows an unplanned write and a refused run says what to do', async () => {
  const dir = makeWorkspace('check-');
  const path = writeNotebook(dir, 'cli.ipynb', [
    pickCell,
    [['step:load'], 'const rows = [{ v: 1 }];'],
    [['step:scale', 'prev:load'], 'pick(rows)[0].v = 3;\nconst done = true;'],
    [['step:report', 'prev:load'], 'const total = rows[0].v;'],
    [['pipeline-metrics'], 'total']
  ]);
  const run = cli(['run', path, '--no-cache', '--concurrency', '1']);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /unplanned-write-seen-later/);
  assert.match(run.stdout, /hint: Add `prev:scale` to `report`/);
  assert.match(run.stdout, /`rows` \(mutated, loaded from load\)/);
});
