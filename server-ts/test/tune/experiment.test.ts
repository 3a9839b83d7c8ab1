/**
 * The experiment loop against an engine that computes a test function as its run's metric (the
 * loop's logic, not the local engine, is under test here): parallel trials, the goal, the budget,
 * failures, and an experiment stopped mid-way then resumed with no trial lost or run twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CompiledNotebook } from '../../src/compile/index.js';
import type { Engine, RunHandle, RunRecord, RunView, SubmitOptions } from '../../src/engine/types.js';
import type { ParameterValue } from '../../src/ir.js';
import { type ExperimentRecord, newExperiment, runExperiment } from '../../src/tune/experiment.js';
import { ExperimentFiles } from '../../src/tune/experiment-store.js';
import type { AlgorithmName, ExperimentSpec } from '../../src/tune/types.js';
import { branin } from './functions.js';

/** Runs whose metric is Branin at their parameters; `x1 > 9` fails the run; `hold` keeps runs open until released. */
class FunctionEngine implements Engine {
  readonly kind = 'local' as const;
  readonly submitted: { id: string; parameters: Record<string, ParameterValue>; concurrency?: number }[] = [];
  readonly records = new Map<string, RunView>();
  readonly held: (() => void)[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  constructor(private readonly hold = false) {}

  submit(_compiled: CompiledNotebook, options: SubmitOptions): Promise<RunHandle> {
    const id = `run-${this.submitted.length}-${Math.random().toString(36).slice(2, 6)}`;
    this.submitted.push({ id, parameters: options.parameters, concurrency: options.concurrency });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const record = (status: RunRecord['status'], metrics: Record<string, number>): RunRecord => ({
      version: 1,
      id,
      notebookPath: 'nb.ipynb',
      status,
      pid: process.pid,
      startedAt: '',
      parameters: options.parameters,
      stepOrder: ['train'],
      steps: {} as RunRecord['steps'],
      metrics,
      artifacts: [],
      displays: []
    });
    this.records.set(id, { ...record('running', {}) });
    const done = new Promise<RunRecord>(resolve => {
      const finish = () => {
        this.inFlight--;
        const x1 = options.parameters.x1 as number;
        const final = this.cancelled.has(id)
          ? record('cancelled', {})
          : x1 > 9
            ? { ...record('failed', {}), steps: { train: { status: 'failed' } } as unknown as RunRecord['steps'] }
            : record('succeeded', { loss: branin.evaluate(options.parameters) });
        this.records.set(id, final);
        resolve(final);
      };
      if (this.hold) this.held.push(finish);
      else setImmediate(finish);
    });
    return Promise.resolve({ id, done });
  }
  get(runId: string): Promise<RunView> {
    const view = this.records.get(runId);
    if (!view) return Promise.reject(new Error(`unknown run ${runId}`));
    return Promise.resolve(view);
  }
  list(): Promise<RunView[]> {
    return Promise.resolve([...this.records.values()]);
  }
  readonly cancelled = new Set<string>();
  cancel(runId: string): Promise<void> {
    this.cancelled.add(runId);
    return Promise.resolve();
  }
  logs(): never {
    throw new Error('not used');
  }
  artifact(): never {
    throw new Error('not used');
  }
  async *events(runId: string) {
    yield { runId, seq: 1, event: { type: 'run-finished' as const, record: (await this.get(runId)) as RunRecord } };
  }
}

const compiled = {} as CompiledNotebook;
function spec(
  algorithmName: AlgorithmName,
  changes: Partial<ExperimentSpec> = {},
  goal: number | null = null
): ExperimentSpec {
  return {
    objective: { type: 'minimize', goal, objectiveMetricName: 'loss', additionalMetricNames: [] },
    algorithm: { algorithmName, algorithmSettings: [], seed: 11, nStartupTrials: 10, nEiCandidates: 24 },
    parameters: branin.space,
    parallelTrialCount: 3,
    maxTrialCount: 20,
    maxFailedTrialCount: null,
    ...changes
  };
}
const memory = () => ({
  saved: [] as string[],
  save(r: ExperimentRecord) {
    this.saved.push(JSON.stringify(r));
  }
});

test('trials run parallelTrialCount at a time, share the cores, and the best is marked', async () => {
  const engine = new FunctionEngine();
  const record = await runExperiment(newExperiment('e1', 'nb.ipynb', spec('tpe'), 0), {
    engine,
    compiled,
    baseParameters: { x1: 0, x2: 0, epochs: 5 },
    store: memory(),
    concurrency: 6
  });
  assert.equal(record.status, 'succeeded');
  assert.equal(record.reason, 'max-trials');
  assert.equal(record.trials.length, 20);
  assert.equal(engine.submitted.length, 20);
  assert.equal(engine.maxInFlight, 3);
  assert.ok(engine.submitted.every(s => s.concurrency === 2 && s.parameters.epochs === 5));
  const succeeded = record.trials.filter(t => t.status === 'succeeded');
  const best = Math.min(...succeeded.map(t => t.objective as number));
  assert.equal(record.trials[record.bestTrial as number].objective, best);
});

test('the goal stops the experiment; too many failures fail it', async () => {
  const reached = await runExperiment(
    newExperiment('e2', 'nb.ipynb', spec('random', { parallelTrialCount: 1, maxTrialCount: 200 }, 5), 0),
    {
      engine: new FunctionEngine(),
      compiled,
      baseParameters: {},
      store: memory(),
      concurrency: 2
    }
  );
  assert.equal(reached.reason, 'goal-reached');
  assert.ok((reached.trials[reached.bestTrial as number].objective as number) <= 5);
  assert.ok(reached.trials.length < 200);

  const failing = spec('random', {
    parallelTrialCount: 1,
    maxTrialCount: 200,
    maxFailedTrialCount: 2,
    parameters: [{ ...branin.space[0], min: 9.5 } as never, branin.space[1]]
  });
  const failed = await runExperiment(newExperiment('e3', 'nb.ipynb', failing, 0), {
    engine: new FunctionEngine(),
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 2
  });
  assert.equal(failed.status, 'failed');
  assert.equal(failed.reason, 'too-many-failures');
  assert.equal(failed.trials.filter(t => t.status === 'failed').length, 3);
  assert.match(failed.trials[0].error ?? '', /step `train` failed/);
});

test('grid ends when its combinations are spent', async () => {
  const grid = spec('grid', {
    parallelTrialCount: 2,
    maxTrialCount: 6,
    parameters: [
      { name: 'x1', parameterType: 'int', min: 0, max: 2, step: 1, log: false },
      { name: 'x2', parameterType: 'discrete', list: [1, 2] }
    ]
  });
  const engine = new FunctionEngine();
  const record = await runExperiment(newExperiment('e4', 'nb.ipynb', grid, 0), {
    engine,
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 2
  });
  assert.deepEqual(
    record.trials.map(t => t.assignment),
    [
      { x1: 0, x2: 1 },
      { x1: 0, x2: 2 },
      { x1: 1, x2: 1 },
      { x1: 1, x2: 2 },
      { x1: 2, x2: 1 },
      { x1: 2, x2: 2 }
    ]
  );
  assert.equal(engine.submitted.length, 6);
});

test('an experiment stopped mid-way resumes from its record: no trial lost or run twice, the trials it had keep their values', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'cellflow-tune-'));
  const files = new ExperimentFiles(stateDir);
  // x1 up to 9: no run fails here.
  const experimentSpec = spec('tpe', {
    maxTrialCount: 16,
    parameters: [{ ...branin.space[0], max: 9 } as never, branin.space[1]]
  });

  // The first tuner: 7 runs end, 3 more are in flight when it is "killed" (abandoned, its record on disk).
  const first = new FunctionEngine(true);
  void runExperiment(newExperiment('e5', 'nb.ipynb', experimentSpec, 0), {
    engine: first,
    compiled,
    baseParameters: {},
    store: files,
    concurrency: 3
  });
  let released = 0;
  const settled = () => {
    const trials = files.load('e5').trials;
    return (
      trials.filter(t => t.status === 'succeeded').length === 7 &&
      trials.filter(t => t.status === 'running' && t.runId).length === 3
    );
  };
  for (let turn = 0; turn < 1000 && !(released === 7 && settled()); turn++) {
    await new Promise(resolve => setImmediate(resolve));
    if (released < 7 && first.held.length === 3) {
      first.held.shift()?.();
      released++;
    }
  }
  const stopped = files.load('e5');
  assert.equal(stopped.trials.filter(t => t.status === 'succeeded').length, 7);
  assert.equal(stopped.trials.filter(t => t.status === 'running').length, 3);
  // One of the in-flight runs finished while no tuner watched; the other two were interrupted.
  const [finishedLate] = first.held.splice(0, 1);
  finishedLate();
  const running = stopped.trials.filter(t => t.status === 'running');
  const second = new FunctionEngine();
  for (const t of running.slice(0, 1))
    second.records.set(t.runId as string, (await first.get(t.runId as string)) as RunView);
  for (const t of running.slice(1))
    second.records.set(t.runId as string, { ...((await first.get(t.runId as string)) as RunView), interrupted: true });

  const resumed = await runExperiment(files.load('e5'), {
    engine: second,
    compiled,
    baseParameters: {},
    store: files,
    concurrency: 3
  });
  assert.equal(resumed.status, 'succeeded');
  assert.equal(resumed.trials.length, 16);
  assert.ok(resumed.trials.every(t => t.status === 'succeeded'));
  // Run again: the two interrupted trials (same values) and the 6 never suggested; not the one that finished.
  assert.equal(second.submitted.length, 2 + 6);
  assert.deepEqual(
    second.submitted.slice(0, 2).map(s => s.parameters),
    running.slice(1).map(t => t.assignment)
  );
  const keys = resumed.trials.map(t => JSON.stringify(t.assignment));
  assert.equal(new Set(keys).size, 16, 'no trial twice');
  assert.deepEqual(
    resumed.trials.slice(0, 10).map(t => t.assignment),
    stopped.trials.map(t => t.assignment)
  );
});

test('cancelling stops the runs in flight; their trials run again on resume', async () => {
  const engine = new FunctionEngine(true);
  const controller = new AbortController();
  const experiment = newExperiment('e6', 'nb.ipynb', spec('random', { maxTrialCount: 6 }), 0);
  const store = memory();
  const running = runExperiment(experiment, {
    engine,
    compiled,
    baseParameters: {},
    store,
    concurrency: 3,
    signal: controller.signal
  });
  for (let turn = 0; turn < 100 && engine.held.length < 3; turn++) await new Promise(resolve => setImmediate(resolve));
  controller.abort();
  await new Promise(resolve => setImmediate(resolve));
  assert.equal(engine.cancelled.size, 3);
  for (const finish of engine.held.splice(0)) finish();
  const record = await running;
  assert.equal(record.status, 'cancelled');
  assert.equal(record.trials.length, 3);
  assert.ok(record.trials.every(t => t.status === 'cancelled'));
  const again = await runExperiment(record, {
    engine: new FunctionEngine(),
    compiled,
    baseParameters: {},
    store,
    concurrency: 3
  });
  assert.equal(again.status, 'succeeded');
  assert.equal(again.trials.length, 6);
  assert.ok(again.trials.every(t => t.status === 'succeeded' || t.status === 'failed'));
});
