/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the
 * same run, on the same machine. Writes bench-results/bench.json at the repo root.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeNotebook } from '../src/analyze/index.js';
import { CellFactsCache } from '../src/analyze/cell-cache.js';
import { compileNotebookFile } from '../src/compile/index.js';
import { LocalEngine } from '../src/engine/local/engine.js';
import { resolveParameterValues } from '../src/engine/parameter-values.js';
import { runStraightThrough } from '../src/engine/local/straight-run.js';
import type { RunRecord } from '../src/engine/types.js';
import { chainNotebook, largeNotebook } from './generate.js';
import { benchCheckCost, benchHandOver } from './plan-check.js';
import { benchTpe } from './tpe.js';
import { benchSnapshot } from './snapshot.js';
import { benchTuneCache } from './tune-cache.js';
import { benchRestore } from './restore.js';
import { benchEditToDiagnostic, benchSseLogLines } from './http-api.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const outDir = join(repoRoot, 'bench-results');
const workDir = join(outDir, 'work'); // inside the repo so notebooks resolve node_modules
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const log = (message: string) => process.stderr.write(`${message}\n`);

async function benchAnalysis() {
  const notebook = largeNotebook(1000);
  const path = join(workDir, 'large-1000.ipynb');
  writeFileSync(path, JSON.stringify(notebook));
  const cold = Array.from(
    { length: 5 },
    () =>
      JSON.parse(execFileSync(process.execPath, [join(here, 'analyze-once.js'), path], { encoding: 'utf8' })) as {
        importMs: number;
        analyzeMs: number;
        steps: number;
      }
  );
  const baselineStartMs = median(
    Array.from({ length: 5 }, () => {
      const t = performance.now();
      execFileSync(process.execPath, ['-e', '0']);
      return performance.now() - t;
    })
  );

  // Incremental: warm cache, change one cell, analyze again; baseline is a full analysis with an empty cache.
  const full: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    analyzeNotebook(notebook, { cache: new CellFactsCache() });
    full.push(performance.now() - t);
  }
  // As in the HTTP server, a long-lived process: the first edits warm it up, the next 50 are measured.
  const cache = new CellFactsCache();
  analyzeNotebook(notebook, { cache });
  const incremental: number[] = [];
  for (let i = 0; i < 80; i++) {
    const cellIndex = 10 + ((i * 37) % 980);
    const cell = notebook.cells[cellIndex];
    cell.source = `${cell.source}\nconst edit${i} = ${i};`;
    const t = performance.now();
    analyzeNotebook(notebook, { cache });
    if (i >= 30) incremental.push(performance.now() - t);
  }
  return {
    cells: 1000,
    steps: cold[0].steps,
    coldAnalyzeMs: round(median(cold.map(c => c.analyzeMs)), 1),
    coldImportMs: round(median(cold.map(c => c.importMs)), 1),
    coldTargetMs: 150,
    nodeStartMs: round(baselineStartMs, 1),
    reanalyzeOneCellMs: round(median(incremental), 2),
    reanalyzeTargetMs: 5,
    fullWarmAnalyzeMs: round(median(full), 1),
    reanalyzeVsFullRatio: round(median(incremental) / median(full))
  };
}

async function runPipeline(
  notebookPath: string,
  overrides: Record<string, string | number>,
  useCache: boolean
): Promise<{ record: RunRecord; seconds: number }> {
  const compiled = await compileNotebookFile(notebookPath);
  const parameters = resolveParameterValues(compiled.local.plan.parameters, overrides);
  const started = performance.now();
  const record = await (await new LocalEngine(dirname(notebookPath)).submit(compiled, { parameters, useCache })).done;
  if (record.status !== 'succeeded')
    throw new Error(`bench run of ${notebookPath} ${record.status}: ${JSON.stringify(record.steps)}`);
  return { record, seconds: (performance.now() - started) / 1000 };
}

/** The plan check's cost on the example: the pipeline with it against the same pipeline without it. */
async function benchXorPlanCheck() {
  const path = xorCopy('xor-check');
  const checked: number[] = [];
  const unchecked: number[] = [];
  for (let i = 0; i < 3; i++) {
    checked.push((await runPipeline(path, {}, false)).seconds);
    process.env.CELLFLOW_PLAN_CHECK = 'off'; // read by the step processes the engine starts
    try {
      unchecked.push((await runPipeline(path, {}, false)).seconds);
    } finally {
      delete process.env.CELLFLOW_PLAN_CHECK;
    }
  }
  return {
    what: 'examples/xor.ipynb as a pipeline, no cache: with the run-time plan check against without it',
    checkedSeconds: round(median(checked)),
    uncheckedSeconds: round(median(unchecked)),
    checkedVsUncheckedRatio: round(median(checked) / median(unchecked)),
    target: 1.05,
    checkedRunsSeconds: checked.map(x => round(x)),
    uncheckedRunsSeconds: unchecked.map(x => round(x))
  };
}

/** The step state's cost (`state/` for `cellflow restore`): the pipeline saving it against `CELLFLOW_STEP_STATE=off`. */
async function benchXorStepState() {
  const path = xorCopy('xor-state');
  const saved: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 3; i++) {
    saved.push((await runPipeline(path, {}, false)).seconds);
    process.env.CELLFLOW_STEP_STATE = 'off'; // read by the step processes the engine starts
    try {
      off.push((await runPipeline(path, {}, false)).seconds);
    } finally {
      delete process.env.CELLFLOW_STEP_STATE;
    }
  }
  return {
    what: "examples/xor.ipynb as a pipeline, no cache: saving each step's state against not saving it",
    withStateSeconds: round(median(saved)),
    withoutStateSeconds: round(median(off)),
    withVsWithoutRatio: round(median(saved) / median(off)),
    withStateRunsSeconds: saved.map(x => round(x)),
    withoutStateRunsSeconds: off.map(x => round(x))
  };
}

async function straight(notebookPath: string) {
  const compiled = await compileNotebookFile(notebookPath);
  const result = await runStraightThrough(compiled.analysis, notebookPath);
  if (result.exitCode !== 0) throw new Error(`straight run of ${notebookPath} failed:\n${result.stderr}`);
  return result;
}

/** The example with one parameter's default changed in its parameters cell, so both runs use it. */
function xorCopy(folder: string, batchSize?: number): string {
  const path = join(workDir, folder, 'xor.ipynb');
  mkdirSync(dirname(path), { recursive: true });
  cpSync(join(repoRoot, 'examples', 'xor.ipynb'), path);
  if (batchSize !== undefined) {
    const notebook = JSON.parse(readFileSync(path, 'utf8'));
    for (const cell of notebook.cells) {
      if (!cell.metadata?.tags?.includes('pipeline-parameters')) continue;
      const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      cell.source = source.replace(/batch_size = \d+/, `batch_size = ${batchSize}`);
    }
    writeFileSync(path, JSON.stringify(notebook, null, 1));
  }
  return path;
}

/** Same notebook with a quarter of the training steps (batch_size=128): how the ratio moves when fixed per-step costs dominate. */
async function benchXorLighterTraining() {
  const path = xorCopy('xor-batch128', 128);
  const straightRuns = [];
  const pipelineRuns = [];
  for (let i = 0; i < 3; i++) {
    straightRuns.push((await straight(path)).seconds);
    pipelineRuns.push((await runPipeline(path, {}, false)).seconds);
  }
  return {
    batchSize: 128,
    straightSeconds: round(median(straightRuns)),
    pipelineSeconds: round(median(pipelineRuns)),
    pipelineVsStraightRatio: round(median(pipelineRuns) / median(straightRuns)),
    straightRunsSeconds: straightRuns.map(x => round(x)),
    pipelineRunsSeconds: pipelineRuns.map(x => round(x))
  };
}

async function benchXor() {
  const path = xorCopy('xor');
  // Alternating runs, medians of three: a shared 2-core machine is noisy.
  const straightRuns = [];
  const pipelineRuns = [];
  for (let i = 0; i < 3; i++) {
    straightRuns.push(await straight(path));
    pipelineRuns.push(await runPipeline(path, {}, false));
  }
  const baseline = { seconds: median(straightRuns.map(r => r.seconds)), metrics: straightRuns[0].metrics };
  const pipeline = { seconds: median(pipelineRuns.map(r => r.seconds)), record: pipelineRuns[0].record };
  const rerun = await runPipeline(path, { learning_rate: 0.02 }, true);
  const cachedSteps = rerun.record.stepOrder.filter(s => rerun.record.steps[s].cached);
  return {
    straightSeconds: round(baseline.seconds),
    pipelineSeconds: round(pipeline.seconds),
    pipelineVsStraightRatio: round(pipeline.seconds / baseline.seconds),
    straightRunsSeconds: straightRuns.map(r => round(r.seconds)),
    pipelineRunsSeconds: pipelineRuns.map(r => round(r.seconds)),
    metricsStraight: baseline.metrics,
    metricsPipeline: pipeline.record.metrics,
    rerunAfterLearningRateSeconds: round(rerun.seconds),
    rerunVsFirstRunRatio: round(rerun.seconds / pipeline.seconds),
    rerunSteps: rerun.record.stepOrder.map(s => ({
      step: s,
      cached: rerun.record.steps[s].cached,
      seconds: rerun.record.steps[s].seconds
    })),
    rerunCachedSteps: cachedSteps,
    generateCachedOnRerun: cachedSteps.includes('generate')
  };
}

/** Iterations of the chain's work loop that take about one second here. */
function calibrateIterations(): number {
  let x = 1;
  const n = 20_000_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483648;
  const seconds = (performance.now() - t) / 1000;
  if (x < 0) throw new Error('the generator never goes negative'); // uses the result, so the loop is not optimised away
  return Math.round(n / seconds);
}

async function benchChain() {
  const path = join(workDir, 'chain', 'chain.ipynb');
  mkdirSync(dirname(path), { recursive: true });
  const iterations = calibrateIterations();
  const notebook = chainNotebook(5);
  notebook.cells[1].source = `const work_iterations = ${iterations};`;
  writeFileSync(path, JSON.stringify(notebook, null, 1));
  const baseline = await straight(path);
  const pipeline = await runPipeline(path, {}, false);
  return {
    steps: 5,
    workIterationsPerStep: iterations,
    straightSeconds: round(baseline.seconds),
    pipelineSeconds: round(pipeline.seconds),
    overheadRatio: round(pipeline.seconds / baseline.seconds),
    target: 1.3
  };
}

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
const only = process.argv[2];
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model
};
if (!only || only === 'analysis') {
  log('bench: analysis of a 1,000-cell notebook');
  results.analysis = await benchAnalysis();
}
if (!only || only === 'xor') {
  log('bench: XOR pipeline vs straight-through, and a re-run after changing learning_rate');
  results.xor = await benchXor();
}
if (!only || only === 'xor' || only === 'xor-lighter') {
  log('bench: the same XOR notebook with batch_size=128 (fixed per-step costs weigh more)');
  results.xorLighterTraining = await benchXorLighterTraining();
}
if (!only || only === 'plan-check') {
  log('bench: the XOR pipeline with the run-time plan check against without it');
  results.xorPlanCheck = await benchXorPlanCheck();
  log('bench: the plan check on 200 MB of typed arrays and a million objects, against loading them');
  results.planCheckCost = benchCheckCost(workDir);
  log('bench: a 200 MB Float32Array handed between two steps, against raw file write and read');
  results.handOver = benchHandOver(workDir);
}
if (!only || only === 'xor' || only === 'step-state') {
  log("bench: the XOR pipeline saving each step's state against not saving it");
  results.xorStepState = await benchXorStepState();
}
if (!only || only === 'chain') {
  log('bench: a 5-step chain vs straight-through (pure overhead)');
  results.chain = await benchChain();
}
if (!only || only === 'tpe') {
  log("bench: TPE against random search on Branin, and against Optuna's TPE");
  results.tpe = benchTpe();
}

if (!only || only === 'tune-cache') {
  log('bench: 12 XOR tuning trials with the step cache against the same 12 without it');
  results.tuneCache = await benchTuneCache(workDir, repoRoot);
}

if (!only || only === 'restore') {
  log("bench: the XOR run's last step restored into a fresh tslab kernel, against re-running the notebook there");
  results.restore = await benchRestore(workDir, repoRoot);
}

if (!only || only === 'snapshot') {
  log('bench: a snapshot of a 1 GB workspace in 10,000 files with 1 MB changed, against stat-ing every file');
  results.snapshot = await benchSnapshot();
}

if (!only || only === 'http') {
  log('bench: edit-to-diagnostic through POST /api/analyze on a 200-cell notebook, against a health round trip');
  results.editToDiagnostic = await benchEditToDiagnostic(workDir);
  log("bench: an SSE client receiving a run's 10,000 log lines");
  results.sseLogLines = await benchSseLogLines(workDir);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bench.json'), JSON.stringify(results, null, 2) + '\n');
process.stdout.write(JSON.stringify(results, null, 2) + '\n');
