/**
 * "Run this step" and "Run from this step" on real step processes: the selected steps run, the steps they need
 * come from results made under their current cache key (the cache, or a past run), and anything else is refused
 * before a step runs.
 */
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { resolveParameterValues } from '../../src/engine/parameter-values.js';
import type { RunRecord, SubmitOptions } from '../../src/engine/types.js';
import { loadValues } from '../../src/runtime/marshal.js';
import { makeWorkspace, notebookJson, writeNotebook, type CellSpec } from '../notebooks.js';
import { cli, runNotebook } from './helpers.js';

const cells = (generate = 'const data = Array.from({ length: size }, (_, i) => i % 7);'): CellSpec[] => [
  [['pipeline-parameters'], 'const size = 100;\nconst rate = 0.5;'],
  [['step:generate'], generate],
  [['step:stats', 'prev:generate'], 'const mean = data.reduce((a, b) => a + b, 0) / data.length;'],
  [['step:train', 'prev:generate'], 'const weights = data.map(v => v * rate);'],
  [['step:report', 'prev:stats', 'prev:train'], 'const score = mean + weights.reduce((a, b) => a + b, 0);'],
  [['pipeline-metrics'], 'score']
];

/** A partial run; the refusal's code when `submit` refuses. */
async function runPart(
  path: string,
  options: Omit<SubmitOptions, 'parameters'> & { overrides?: Record<string, string> }
): Promise<RunRecord | { refused: string; message: string }> {
  const compiled = await compileNotebookFile(path);
  const parameters = resolveParameterValues(compiled.local.plan.parameters, options.overrides ?? {});
  const engine = new LocalEngine(dirname(path));
  try {
    return await (
      await engine.submit(compiled, { ...options, parameters })
    ).done;
  } catch (error) {
    if (error instanceof CellflowError) return { refused: error.diagnostic.code, message: error.diagnostic.message };
    throw error;
  }
}

function succeeded(run: RunRecord | { refused: string; message: string }): RunRecord {
  assert.ok(!('refused' in run), 'refused' in run ? run.message : '');
  assert.equal(run.status, 'succeeded', JSON.stringify(run.steps, null, 1));
  return run;
}

function refusal(run: RunRecord | { refused: string; message: string }): { refused: string; message: string } {
  assert.ok('refused' in run, `expected a refusal, got a run that ${'status' in run ? run.status : '?'}`);
  return run;
}

const runCount = (path: string) => readdirSync(join(dirname(path), '.cellflow', 'runs')).length;

test('one step runs; the steps it needs come from the cache; the metrics are the whole run’s', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  const whole = succeeded(await runNotebook(path));
  const part = succeeded(await runPart(path, { only: ['report'] }));
  assert.deepEqual(part.selection, { only: ['report'] });
  assert.equal(part.steps.report.cached, false, 'a selected step runs even though the cache has it');
  assert.equal(part.steps.report.attempts, 1);
  for (const name of ['generate', 'stats', 'train']) {
    assert.equal(part.steps[name].cached, true, name);
    assert.deepEqual(part.steps[name].reusedFrom, { source: 'cache' }, name);
    assert.equal(part.steps[name].cacheKey, whole.steps[name].cacheKey, name);
  }
  assert.equal(part.steps.report.cacheKey, whole.steps.report.cacheKey, 'the same inputs give the same key');
  assert.deepEqual(part.metrics, whole.metrics);
  assert.ok(!('reusedFrom' in whole.steps.generate), 'a whole run reuses nothing');

  // The values a selected step makes from the reused ones are the whole run's, value for value.
  const train = succeeded(await runPart(path, { only: ['train'] }));
  assert.equal(train.steps.train.cached, false);
  const load = (run: RunRecord) =>
    loadValues(run.steps.train.outputsDir!, ['weights'], { step: 'train', consumer: 'test', classes: {} });
  const [mine, theirs] = [await load(train), await load(whole)];
  assert.equal((mine.weights as number[]).length, 100);
  assert.deepEqual(mine, theirs);
});

test('run from a step: it and its downstream run, the rest is reused; steps not needed are skipped', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  const whole = succeeded(await runNotebook(path));
  const from = succeeded(await runPart(path, { from: 'train' }));
  const how = Object.fromEntries(
    from.stepOrder.map(s => [s, from.steps[s].reusedFrom ? 'reused' : from.steps[s].status])
  );
  assert.deepEqual(how, { generate: 'reused', stats: 'reused', train: 'succeeded', report: 'succeeded' });
  assert.equal(from.steps.train.cached, false);
  assert.deepEqual(from.metrics, whole.metrics);

  const one = succeeded(await runPart(path, { only: ['stats'] }));
  assert.equal(one.steps.train.status, 'skipped');
  assert.equal(one.steps.train.reason, 'not selected');
  assert.equal(one.steps.report.reason, 'not selected');
  assert.deepEqual(one.metrics, {}, 'the step reporting the metric did not run');
});

test('without a cache entry the result of a past run with the same key is reused; missing outputs are not', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  const whole = succeeded(await runNotebook(path));
  rmSync(join(dirname(path), '.cellflow', 'cache'), { recursive: true });
  const part = succeeded(await runPart(path, { only: ['report'] }));
  for (const name of ['generate', 'stats', 'train'])
    assert.deepEqual(part.steps[name].reusedFrom, { source: 'run', runId: whole.id }, name);
  assert.deepEqual(part.metrics, whole.metrics);

  // A past run whose saved values are no longer all there is not a result to reuse.
  rmSync(join(dirname(path), '.cellflow', 'cache'), { recursive: true });
  const outputs = whole.steps.train.outputsDir!;
  for (const file of readdirSync(outputs).filter(f => f.endsWith('.v8'))) writeFileSync(join(outputs, file), 'x');
  const gone = refusal(await runPart(path, { only: ['report'] }));
  assert.equal(gone.refused, 'upstream-result-missing');
  assert.match(gone.message, /step `train`/);
  assert.match(gone.message, /no longer all on disk/);
});

test('a step whose code changed since the last run is refused as an upstream, before anything runs', async () => {
  const dir = makeWorkspace('part-');
  const path = writeNotebook(dir, 'nb.ipynb', cells());
  succeeded(await runNotebook(path));
  writeFileSync(
    path,
    JSON.stringify(notebookJson(cells('const data = Array.from({ length: size }, (_, i) => i % 5);')))
  );
  const before = runCount(path);
  const refused = refusal(await runPart(path, { only: ['report'] }));
  assert.equal(refused.refused, 'upstream-result-missing');
  assert.match(refused.message, /`report` needs the result of step `generate`/);
  assert.match(refused.message, /code changed/);
  assert.equal(runCount(path), before, 'no run was started');

  // Running from the changed step is what the refusal says to do, and then one step can be run alone again.
  const from = succeeded(await runPart(path, { from: 'generate' }));
  assert.ok(from.stepOrder.every(s => !from.steps[s].reusedFrom));
  const again = succeeded(await runPart(path, { only: ['report'] }));
  assert.deepEqual(again.metrics, from.metrics);
  assert.deepEqual(again.steps.generate.reusedFrom, { source: 'cache' });

  // train does not depend on stats, but comes after it and loads the same `data`: stats changed, so its run
  // (which could change `data` unseen by the analysis, as train would see in the notebook) must be made first.
  const edited = cells();
  (edited[2] as [string[], string])[1] = 'const mean = data.reduce((a, b) => a + b, 1) / data.length;';
  writeFileSync(path, JSON.stringify(notebookJson(edited)));
  const check = refusal(await runPart(path, { only: ['train'] }));
  assert.equal(check.refused, 'upstream-result-missing');
  assert.match(check.message, /`train` needs the result of step `stats` \(it comes earlier in the notebook/);
});

test('unknown steps and gaps are refused with codes', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  succeeded(await runNotebook(path));
  const unknown = refusal(await runPart(path, { only: ['nope'] }));
  assert.equal(unknown.refused, 'step-not-in-pipeline');
  assert.match(unknown.message, /`nope`/);
  assert.equal(refusal(await runPart(path, { from: 'nope' })).refused, 'step-not-in-pipeline');
  assert.equal(refusal(await runPart(path, { only: ['generate', 'report'] })).refused, 'step-selection-gap');
});

test('parameters that differ: the steps reading them have no result for the new values until one is made', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  const first = succeeded(await runNotebook(path));
  const refused = refusal(await runPart(path, { only: ['report'], overrides: { rate: '2' } }));
  assert.equal(refused.refused, 'upstream-result-missing');
  assert.match(refused.message, /step `train`/);
  assert.match(refused.message, /`rate` was 0\.5, now 2/);

  // From the step that reads it, the rest (not reading `rate`) is reused.
  const from = succeeded(await runPart(path, { from: 'train', overrides: { rate: '2' } }));
  assert.deepEqual(from.steps.generate.reusedFrom, { source: 'cache' });
  assert.notEqual(from.metrics.score, first.metrics.score);
  // Now both values have results: the step runs alone with either.
  const two = succeeded(await runPart(path, { only: ['report'], overrides: { rate: '2' } }));
  assert.deepEqual(two.metrics, from.metrics);
  const half = succeeded(await runPart(path, { only: ['report'] }));
  assert.deepEqual(half.metrics, first.metrics);
});

/** A function that returns its argument: `pick(rows)` is `rows`, which the analysis cannot know. */
const pickCell: CellSpec = [['functions'], 'function pick<T>(value: T): T {\n  return value;\n}'];

test('an upstream write the analysis missed reaches the selected step as in a whole run', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'alias.ipynb', [
    pickCell,
    [['step:load'], 'const rows = [{ v: 1 }, { v: 2 }];'],
    [['step:scale', 'prev:load'], 'const r = pick(rows);\nr[0].v = 10;\nconst label = "scaled";'],
    [['step:total', 'prev:scale'], 'const total = rows.reduce((sum, row) => sum + row.v, 0);\nconsole.log(label);'],
    [['pipeline-metrics'], 'total']
  ]);
  const whole = succeeded(await runNotebook(path, { useCache: false }));
  assert.deepEqual(whole.steps.scale.unplannedWrites, [{ name: 'rows', from: 'load', how: 'mutated' }]);
  // What the run learnt does not change the step programs, so the results stay reusable, with what they recorded.
  for (const source of ['cache', 'run'] as const) {
    if (source === 'run') rmSync(join(dirname(path), '.cellflow', 'cache'), { recursive: true });
    const part = succeeded(await runPart(path, { only: ['total'] }));
    assert.deepEqual(part.steps.scale.reusedFrom, source === 'cache' ? { source } : { source, runId: whole.id });
    assert.deepEqual(part.steps.scale.unplannedWrites, whole.steps.scale.unplannedWrites);
    assert.deepEqual(part.steps.scale.saved, ['label', 'rows']);
    assert.equal(part.steps.total.inputsFrom?.rows, 'scale', 'the changed rows, from the step that changed them');
    assert.deepEqual(part.metrics, { total: 12 });
    assert.deepEqual(part.metrics, whole.metrics);
  }
});

test('an earlier step that changes what the selected one loads, unseen by the analysis, refuses the run', async () => {
  const path = writeNotebook(makeWorkspace('part-'), 'peek.ipynb', [
    pickCell,
    [['step:load'], 'const rows = [{ v: 1 }, { v: 2 }];'],
    [['step:scale', 'prev:load'], 'const r = pick(rows);\nr[0].v = 10;\nconst label = "scaled";'],
    [['step:peek', 'prev:load'], 'const first = rows[0].v;'],
    [['pipeline-metrics'], 'first']
  ]);
  const whole = await runNotebook(path);
  assert.equal(whole.status, 'failed', 'a whole run stops: peek would not see the change the notebook shows it');
  assert.equal(whole.steps.scale.error?.code, 'unplanned-write-seen-later');
  // What the run learnt makes the next analysis refuse the notebook; without it (as before that run, or had the
  // learning been lost), peek alone reuses load, and scale's result, which peek would see in the notebook, refuses.
  rmSync(join(dirname(path), '.cellflow', 'learnt-writes.json'));
  const part = refusal(await runPart(path, { only: ['peek'] }));
  assert.equal(part.refused, 'unplanned-write-seen-later');
  assert.match(part.message, /`peek`/);
});

test('cellflow run --step and --from say which steps were reused and from where', () => {
  const path = writeNotebook(makeWorkspace('part-'), 'nb.ipynb', cells());
  assert.equal(cli(['run', path]).code, 0);
  const one = cli(['run', path, '--step', 'report']);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /Reused \(results made under the same cache key\):\n {2}generate: reused from the cache/);
  const json = cli(['run', path, '--from', 'train', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const summary = JSON.parse(json.stdout);
  const byName = Object.fromEntries(summary.steps.map((s: { name: string }) => [s.name, s]));
  assert.deepEqual(byName.stats.reusedFrom, { source: 'cache' });
  assert.equal(byName.train.cached, false);
  const unknown = cli(['run', path, '--step', 'nope', '--json']);
  assert.equal(unknown.code, 2);
  assert.equal(JSON.parse(unknown.stdout).error.code, 'step-not-in-pipeline');
  const changed = cli(['run', path, '--step', 'report', '--param', 'rate=3']);
  assert.equal(changed.code, 2);
  assert.match(changed.stderr, /upstream-result-missing/);
  assert.match(changed.stderr, /--from train/);
});
