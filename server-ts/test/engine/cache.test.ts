/** Step caching: unchanged steps come from the cache; a parameter change re-runs only where it is read and below. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { cli, runNotebook } from './helpers.js';

const cells = (): Parameters<typeof writeNotebook>[2] => [
  [['pipeline-parameters'], 'const size = 100;\nconst rate = 0.5;'],
  [['step:generate'], 'const data = Array.from({ length: size }, (_, i) => i % 7);'],
  [['step:stats', 'prev:generate'], 'const mean = data.reduce((a, b) => a + b, 0) / data.length;'],
  [['step:train', 'prev:generate'], 'const weights = data.map(v => v * rate);'],
  [['step:report', 'prev:stats', 'prev:train'], 'const score = mean + weights.reduce((a, b) => a + b, 0);'],
  [['pipeline-metrics'], 'score']
];

test('a second run takes every step from the cache and gives the same metrics', async () => {
  const path = writeNotebook(makeWorkspace(), 'cache.ipynb', cells());
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded');
  assert.ok(first.stepOrder.every(s => !first.steps[s].cached));
  const second = await runNotebook(path);
  assert.equal(second.status, 'succeeded');
  assert.deepEqual(
    second.stepOrder.filter(s => second.steps[s].cached),
    second.stepOrder
  );
  assert.deepEqual(second.metrics, first.metrics);
});

test('changing a parameter re-runs only the steps that read it and those downstream', async () => {
  const path = writeNotebook(makeWorkspace(), 'cache.ipynb', cells());
  const first = await runNotebook(path);
  const changed = await runNotebook(path, { overrides: { rate: '2' } });
  const cached = Object.fromEntries(changed.stepOrder.map(s => [s, changed.steps[s].cached]));
  assert.deepEqual(cached, { generate: true, stats: true, train: false, report: false });
  assert.notEqual(changed.metrics.score, first.metrics.score);
});

test('--no-cache runs every step; `cache:disabled` opts one step out', async () => {
  const dir = makeWorkspace();
  const tagged = cells();
  (tagged[2] as [string[], string])[0].push('cache:disabled');
  const path = writeNotebook(dir, 'cache.ipynb', tagged);
  await runNotebook(path);
  const again = await runNotebook(path);
  assert.equal(again.steps.stats.cached, false, 'cache:disabled step always runs');
  assert.equal(again.steps.generate.cached, true);
  const forced = cli(['run', path, '--no-cache', '--json']);
  assert.equal(forced.code, 0, forced.stderr);
  const summary = JSON.parse(forced.stdout);
  assert.ok(summary.steps.every((s: { cached: boolean }) => !s.cached));
});

test('run --json prints one JSON summary and nothing else; runs and logs read it back', () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'cache.ipynb', cells());
  const result = cli(['run', path, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout);
  assert.equal(summary.status, 'succeeded');
  assert.deepEqual(
    summary.steps.map((s: { name: string }) => s.name),
    ['generate', 'stats', 'train', 'report']
  );
  for (const step of summary.steps) {
    assert.equal(typeof step.seconds, 'number');
    assert.equal(step.cached, false);
  }
  assert.equal(typeof summary.metrics.score, 'number');
  const runs = cli(['runs', path]);
  assert.match(runs.stdout, new RegExp(summary.runId));
  const logs = cli(['logs', summary.runId, 'report', '--dir', dir]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /score=/);
});
