/**
 * `cellflow verify` on real runs: identical when the pipeline computes what the
 * notebook computes, and the first difference (step, variable, path) when not.
 */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyNotebook } from '../../src/verify/index.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { samplesRoot } from '../paths.js';
import { cli } from '../engine/helpers.js';

test('a faithful pipeline verifies as identical, values and metrics compared', async () => {
  const dir = makeWorkspace('verify-');
  const path = join(dir, 'word_counts.ipynb');
  copyFileSync(join(samplesRoot, 'run', 'word_counts.ipynb'), path);
  const report = await verifyNotebook(path, { useCache: false });
  assert.equal(report.verdict, 'identical', JSON.stringify(report));
  assert.ok(report.verdict === 'identical' && report.compared > 0, 'values were compared');
});

test('a value that differs is reported with the step, the variable and the path inside it', async () => {
  const dir = makeWorkspace('verify-');
  const path = writeNotebook(dir, 'random.ipynb', [
    [['pipeline-parameters'], 'const size = 3;'],
    [['step:make'], 'const data = { items: Array.from({ length: size }, (_, i) => ({ i, noise: Math.random() })) };'],
    [['step:use', 'prev:make'], 'const total = data.items.reduce((sum, item) => sum + item.i, 0);'],
    [['pipeline-metrics'], 'total']
  ]);
  const report = await verifyNotebook(path, { useCache: false, overrides: { size: '2' } });
  assert.equal(report.verdict, 'different', JSON.stringify(report));
  assert.ok(report.verdict === 'different');
  assert.deepEqual(
    { ...report.value, what: undefined },
    { step: 'use', name: 'data', from: 'make', path: 'data.items[0].noise', what: undefined }
  );
  assert.deepEqual(report.parameters, { size: 2 });

  const shown = cli(['verify', path, '--no-cache']);
  assert.equal(shown.code, 1);
  assert.match(
    shown.stdout,
    /different: step `use` loaded `data` \(from step `make`\), and at `data\.items\[0\]\.noise`/
  );
});

test('a metric that differs is reported with both values', async () => {
  const dir = makeWorkspace('verify-');
  const path = writeNotebook(dir, 'metric.ipynb', [
    [['step:make'], 'const seed = 1;'],
    [['step:score', 'prev:make'], 'const score = seed + Math.random();'],
    [['pipeline-metrics'], 'score']
  ]);
  const report = await verifyNotebook(path, { useCache: false });
  assert.equal(report.verdict, 'different');
  assert.ok(report.verdict === 'different' && report.metric?.name === 'score');
  assert.notEqual(report.metric.notebook, report.metric.pipeline);
});

test('verify of a pipeline that fails says which run failed and why', async () => {
  const dir = makeWorkspace('verify-');
  const path = writeNotebook(dir, 'fails.ipynb', [
    [['step:make'], 'const n = 1;'],
    [['step:boom', 'prev:make'], 'if (n > 0) throw new Error("no luck");\nconst m = n;'],
    [['pipeline-metrics'], 'm']
  ]);
  const report = await verifyNotebook(path, { useCache: false });
  assert.equal(report.verdict, 'failed');
  assert.ok(report.verdict === 'failed' && report.failed === 'pipeline');
  assert.match(report.message, /`boom`.*no luck/);
});
