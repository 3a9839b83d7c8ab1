/**
 * An experiment on the embedded engine: the spec read from the notebook's `metadata.cellflow.katib_metadata`,
 * trials as runs of the real pipeline, and the step that reads no tuned parameter taken from the cache.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { ExperimentFiles } from '../../src/tune/experiment-store.js';
import { newExperiment, runExperiment } from '../../src/tune/experiment.js';
import { readExperimentSpec } from '../../src/tune/spec.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

test('a grid experiment runs its trials as pipeline runs; the untuned step runs once', async () => {
  const path = writeNotebook(makeWorkspace('tune-'), 'tune.ipynb', [
    [['pipeline-parameters'], 'const x = 0;\nconst scale = 2;'],
    [['step:data'], 'const points = [1, 2, 3].map(p => p * scale);'],
    [['step:score', 'prev:data'], 'const loss = points.reduce((s, p) => s + (p - x) ** 2, 0);'],
    [['pipeline-metrics'], 'loss']
  ]);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.metadata.cellflow = {
    katib_metadata: {
      objective: { type: 'minimize', objectiveMetricName: 'loss' },
      algorithm: { algorithmName: 'grid' },
      parallelTrialCount: 1,
      parameters: [{ name: 'x', parameterType: 'discrete', feasibleSpace: { list: ['2', '4', '6'] } }]
    }
  };
  writeFileSync(path, JSON.stringify(json));

  const compiled = await compileNotebookFile(path);
  const { ir } = compiled.analysis;
  const { spec, diagnostics } = readExperimentSpec(ir.settings.katib_metadata, ir);
  assert.deepEqual(diagnostics, []);
  assert.ok(spec);
  const engine = new LocalEngine(dirname(path));
  const files = new ExperimentFiles(join(dirname(path), '.cellflow'));
  const record = await runExperiment(newExperiment('exp-1', path, spec, 0), {
    engine,
    compiled,
    baseParameters: { x: 0, scale: 2 },
    store: files,
    concurrency: 2
  });
  assert.equal(record.status, 'succeeded');
  // points = [2, 4, 6]: loss at x = 2, 4, 6 is 20, 8, 20.
  assert.deepEqual(
    record.trials.map(t => [t.assignment.x, t.objective]),
    [
      [2, 20],
      [4, 8],
      [6, 20]
    ]
  );
  assert.equal(record.bestTrial, 1);
  const runs = await Promise.all(record.trials.map(t => engine.get(t.runId as string)));
  assert.deepEqual(
    runs.map(r => [r.steps.data.cached, r.steps.score.cached]),
    [
      [false, false],
      [true, false],
      [true, false]
    ]
  );
  assert.deepEqual(files.load('exp-1').trials, record.trials);
});
