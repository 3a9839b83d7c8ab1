/**
 * `npm run bench -- tune-cache`: 12 XOR trials (a grid over `learning_rate` × `hidden_units`) with the step cache
 * against the same 12 without it (`useCache: false`), on the embedded engine. Steps that read no tuned parameter
 * (`generate`, and `train_linear`/`scatter_plot` where they read none) run once with the cache. Each experiment
 * gets its own copy of the notebook (so the cached one starts cold); small data and 3 epochs, so the bench fits
 * a shared machine, as the run-view ui-test does. The copies live under the bench's work folder in the repository,
 * so the notebook's tfjs and vega imports resolve.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { compileNotebookFile } from '../src/compile/index.js';
import { LocalEngine } from '../src/engine/local/engine.js';
import { resolveParameterValues } from '../src/engine/parameter-values.js';
import { ExperimentFiles } from '../src/tune/experiment-store.js';
import { newExperiment, runExperiment } from '../src/tune/experiment.js';
import { readExperimentSpec } from '../src/tune/spec.js';

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

const KATIB = {
  objective: { type: 'maximize', objectiveMetricName: 'hidden_test_acc', additionalMetricNames: ['linear_test_acc'] },
  algorithm: { algorithmName: 'grid' },
  parallelTrialCount: 2,
  maxTrialCount: 12,
  parameters: [
    { name: 'learning_rate', parameterType: 'discrete', feasibleSpace: { list: ['0.01', '0.05', '0.1'] } },
    { name: 'hidden_units', parameterType: 'discrete', feasibleSpace: { list: ['4', '8', '16', '32'] } }
  ]
};

function tunedXor(workDir: string, repoRoot: string, folder: string): string {
  const path = join(workDir, folder, 'xor.ipynb');
  mkdirSync(dirname(path), { recursive: true });
  cpSync(join(repoRoot, 'examples', 'xor.ipynb'), path);
  const notebook = JSON.parse(readFileSync(path, 'utf8'));
  for (const cell of notebook.cells) {
    if (!cell.metadata?.tags?.includes('pipeline-parameters')) continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    cell.source = source
      .replace(/n_train = \d+/, 'n_train = 1000')
      .replace(/n_test = \d+/, 'n_test = 200')
      .replace(/epochs = \d+/, 'epochs = 3');
  }
  notebook.metadata.cellflow = { ...notebook.metadata.cellflow, katib_metadata: KATIB };
  writeFileSync(path, JSON.stringify(notebook, null, 1));
  return path;
}

async function experiment(path: string, useCache: boolean) {
  const compiled = await compileNotebookFile(path);
  const { spec, diagnostics } = readExperimentSpec(compiled.analysis.ir.settings.katib_metadata, compiled.analysis.ir);
  if (!spec) throw new Error(`the bench's spec is wrong: ${diagnostics.map(d => d.message).join('; ')}`);
  const engine = new LocalEngine(dirname(path));
  const t = performance.now();
  const record = await runExperiment(newExperiment(`bench-${useCache ? 'cache' : 'nocache'}`, path, spec, 1), {
    engine,
    compiled,
    baseParameters: resolveParameterValues(compiled.local.plan.parameters, {}),
    store: new ExperimentFiles(join(dirname(path), '.cellflow')),
    concurrency: availableParallelism(),
    useCache
  });
  const seconds = (performance.now() - t) / 1000;
  let steps = 0;
  let cached = 0;
  for (const trial of record.trials) {
    if (!trial.runId) continue;
    const run = await engine.get(trial.runId);
    for (const step of run.stepOrder) {
      steps++;
      if (run.steps[step].cached) cached++;
    }
  }
  const failed = record.trials.filter(t => t.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`bench trials failed: ${failed.map(t => t.error).join('; ')}`);
  const best = record.trials[record.bestTrial as number];
  return { seconds, steps, cached, best, objectives: record.trials.map(t => t.objective) };
}

export async function benchTuneCache(workDir: string, repoRoot: string) {
  // Without the cache first (so the file cache is as warm or warmer for the cached experiment; the order is reported).
  const without = await experiment(tunedXor(workDir, repoRoot, 'tune-nocache'), false);
  const withCache = await experiment(tunedXor(workDir, repoRoot, 'tune-cache'), true);
  return {
    what: '12 XOR trials (grid over learning_rate × hidden_units, 1,000 points, 3 epochs, 2 trials at a time) with the step cache against without it',
    order: 'without the cache first, then with it',
    trials: 12,
    withCacheSeconds: round(withCache.seconds),
    withoutCacheSeconds: round(without.seconds),
    withVsWithoutRatio: round(withCache.seconds / without.seconds),
    stepsRun: withCache.steps,
    stepsFromCache: withCache.cached,
    stepsFromCacheWithoutCache: without.cached,
    sameObjectives: JSON.stringify(withCache.objectives) === JSON.stringify(without.objectives),
    best: { parameters: withCache.best.assignment, hidden_test_acc: withCache.best.objective }
  };
}
