/**
 * Katib's median stopping rule (`medianstop`) alone and in the experiment loop, against an engine whose runs report
 * the objective once per epoch as metric events (as a step printing `loss=…` lines does), and the goal cancelling
 * the trials still running.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompiledNotebook } from '../../src/compile/index.js';
import type {
  Engine,
  RunHandle,
  RunRecord,
  RunView,
  SequencedRunEvent,
  SubmitOptions
} from '../../src/engine/types.js';
import type { Parameter } from '../../src/ir.js';
import { medianStop } from '../../src/tune/median-stop.js';
import { type ExperimentRecord, newExperiment, runExperiment } from '../../src/tune/experiment.js';
import { readExperimentSpec } from '../../src/tune/spec.js';
import type { ExperimentSpec } from '../../src/tune/types.js';

const settings = { minTrialsRequired: 3, startStep: 4 };

test('the rule: before start_step or min_trials_required it says nothing', () => {
  const done = [
    [5, 4, 3, 2],
    [6, 5, 4, 3],
    [7, 6, 5, 4]
  ];
  assert.equal(medianStop(settings, 'minimize', done, [9, 9, 9]), null, 'step 3 < start_step 4');
  assert.equal(medianStop(settings, 'minimize', done.slice(0, 2), [9, 9, 9, 9]), null, 'two trials < 3');
  assert.equal(
    medianStop(settings, 'minimize', [...done.slice(0, 2), []], [9, 9, 9, 9]),
    null,
    'no reports: not counted'
  );
});

test('the rule: best so far against the median of running averages up to the step', () => {
  const done = [
    [5, 4, 3, 2, 1], // average of the first 4: 3.5
    [6, 5, 4, 3, 2], // 4.5
    [20, 20, 20, 20] // 20: the median is not dragged by it (a mean would be 9.33)
  ];
  const worse = medianStop(settings, 'minimize', done, [9, 8, 7, 6]);
  assert.deepEqual(worse, { step: 4, best: 6, median: 4.5, stop: true });
  const equal = medianStop(settings, 'minimize', done, [9, 8, 7, 4.5]);
  assert.equal(equal?.stop, false, 'strictly worse only');
  // A trial that reported fewer values than the step counts with all it reported.
  const short = medianStop(settings, 'minimize', [[1], [2], [3, 3, 3, 3, 3, 3]], [9, 9, 9, 9, 9, 2.5]);
  assert.deepEqual(short, { step: 6, best: 2.5, median: 2, stop: true });
  // Maximize: worse is below.
  assert.equal(medianStop(settings, 'maximize', done, [1, 2, 3, 4])?.stop, true);
  assert.equal(medianStop(settings, 'maximize', done, [1, 2, 3, 5])?.stop, false);
  // Even count: the middle two averaged.
  assert.equal(medianStop(settings, 'minimize', [[1], [2], [3], [4]], [9, 9, 9, 9])?.median, 2.5);
});

/**
 * Runs whose loss at epoch e (1-based) is x + 1/e, one metric event per epoch and one epoch per tick, `epochs(x)`
 * epochs; a cancelled run stops at its next epoch. The final metric is the last epoch's.
 */
class EpochEngine implements Engine {
  readonly kind = 'local' as const;
  readonly submitted: Record<string, unknown>[] = [];
  readonly cancelled = new Set<string>();
  private readonly eventLog = new Map<string, SequencedRunEvent[]>();
  private readonly records = new Map<string, RunRecord>();
  private readonly wake = new Set<() => void>();
  constructor(private readonly epochs: (x: number) => number) {}

  submit(_compiled: CompiledNotebook, options: SubmitOptions): Promise<RunHandle> {
    const id = `run-${this.submitted.length}`;
    this.submitted.push(options.parameters);
    const x = options.parameters.x as number;
    const base: RunRecord = {
      version: 1,
      id,
      notebookPath: 'nb.ipynb',
      status: 'running',
      pid: process.pid,
      startedAt: '',
      parameters: options.parameters,
      stepOrder: ['train'],
      steps: {} as RunRecord['steps'],
      metrics: {},
      artifacts: [],
      displays: [],
      snapshot: `snap-${id}`
    };
    this.records.set(id, base);
    this.eventLog.set(id, []);
    const done = (async () => {
      let loss = NaN;
      for (let e = 1; e <= this.epochs(x) && !this.cancelled.has(id); e++) {
        await new Promise(resolve => setImmediate(resolve));
        loss = x + 1 / e;
        this.emit(id, { type: 'step-metric', step: 'train', name: 'loss', value: loss });
      }
      const final: RunRecord = this.cancelled.has(id)
        ? { ...base, status: 'cancelled' }
        : { ...base, status: 'succeeded', metrics: { loss } };
      this.records.set(id, final);
      this.emit(id, { type: 'run-finished', record: final });
      return final;
    })();
    return Promise.resolve({ id, done });
  }
  private emit(runId: string, event: SequencedRunEvent['event']) {
    const log = this.eventLog.get(runId)!;
    log.push({ runId, seq: log.length + 1, event });
    for (const wake of this.wake) wake();
  }
  async *events(runId: string): AsyncIterable<SequencedRunEvent> {
    for (let seen = 0; ;) {
      const log = this.eventLog.get(runId)!;
      while (seen < log.length) {
        const next = log[seen++];
        yield next;
        if (next.event.type === 'run-finished') return;
      }
      await new Promise<void>(resolve => {
        const wake = () => {
          this.wake.delete(wake);
          resolve();
        };
        this.wake.add(wake);
      });
    }
  }
  get(runId: string): Promise<RunView> {
    return Promise.resolve(this.records.get(runId) as RunView);
  }
  list(): Promise<RunView[]> {
    return Promise.resolve([...this.records.values()]);
  }
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
}

const compiled = {} as CompiledNotebook;
const memory = () => ({ save(_r: ExperimentRecord) {} });
function spec(list: number[], changes: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    objective: { type: 'minimize', goal: null, objectiveMetricName: 'loss', additionalMetricNames: [] },
    algorithm: { algorithmName: 'grid', algorithmSettings: [], seed: 1, nStartupTrials: 10, nEiCandidates: 24 },
    parameters: [{ name: 'x', parameterType: 'discrete', list }],
    parallelTrialCount: 1,
    maxTrialCount: list.length,
    maxFailedTrialCount: 0,
    earlyStopping: { algorithmName: 'medianstop', algorithmSettings: [], ...settings },
    ...changes
  };
}

test('the loop stops a trial behind the median at start_step: early-stopped, its last value kept, not a failure', async () => {
  const engine = new EpochEngine(() => 8);
  // Trial 0 (x = 10) runs whole: no trial had succeeded yet. Trial 4 (x = 12) is stopped at its 4th epoch.
  const record = await runExperiment(newExperiment('m1', 'nb.ipynb', spec([10, 1, 2, 1.2, 12, 1.5]), 0), {
    engine,
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 1
  });
  assert.equal(record.status, 'succeeded', 'maxFailedTrialCount 0, and no trial failed');
  assert.deepEqual(
    record.trials.map(t => t.status),
    ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'early-stopped', 'succeeded']
  );
  const stopped = record.trials[4];
  // Judged at its 4th report; a report already on its way when the run was cancelled is kept, the last one its value.
  assert.ok(stopped.intermediate!.length >= 4 && stopped.intermediate!.length < 8);
  assert.equal(stopped.objective, stopped.intermediate!.at(-1));
  // The running averages at step 4 are x + 0.52 for x = 10, 1, 2, 1.2: the median is between 1.2's and 2's.
  const h = (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4;
  assert.equal(stopped.earlyStop?.step, 4);
  assert.equal(stopped.earlyStop?.best, 12.25);
  assert.ok(Math.abs((stopped.earlyStop?.median as number) - (1.6 + h)) < 1e-12);
  assert.ok(engine.cancelled.has(stopped.runId as string));
  assert.equal(engine.cancelled.size, 1);
  assert.equal(record.trials[0].intermediate?.length, 8);
  assert.equal(record.bestTrial, 1, 'an early-stopped trial is never the best');
  // Each trial records its run and the run's snapshot, so gc keeps it.
  assert.deepEqual(record.trials[4].snapshots, [{ of: 'run', snapshot: `snap-${stopped.runId}` }]);
});

test('without earlyStopping every trial runs to its end', async () => {
  const engine = new EpochEngine(() => 8);
  const plain = spec([10, 1, 2, 3, 10]);
  delete plain.earlyStopping;
  const record = await runExperiment(newExperiment('m2', 'nb.ipynb', plain, 0), {
    engine,
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 1
  });
  assert.ok(record.trials.every(t => t.status === 'succeeded'));
  assert.equal(engine.cancelled.size, 0);
});

test('the goal reached cancels the trials still running; they are cancelled-by-goal and never resumed', async () => {
  // x = 0.1 ends in 3 epochs with 0.1 + 1/3 <= 0.5; the others would run 10,000 epochs.
  const engine = new EpochEngine(x => (x < 1 ? 3 : 10_000));
  const goal = spec([5, 0.1, 6, 7, 8], {
    parallelTrialCount: 3,
    objective: { type: 'minimize', goal: 0.5, objectiveMetricName: 'loss', additionalMetricNames: [] }
  });
  delete goal.earlyStopping;
  const record = await runExperiment(newExperiment('g1', 'nb.ipynb', goal, 0), {
    engine,
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 3
  });
  assert.equal(record.reason, 'goal-reached');
  assert.equal(record.status, 'succeeded');
  assert.deepEqual(
    record.trials.map(t => t.status),
    ['cancelled-by-goal', 'succeeded', 'cancelled-by-goal']
  );
  assert.equal(engine.cancelled.size, 2);
  assert.ok(record.trials[0].intermediate!.length < 10_000);

  const again = new EpochEngine(() => 3);
  const resumed = await runExperiment(JSON.parse(JSON.stringify(record)) as ExperimentRecord, {
    engine: again,
    compiled,
    baseParameters: {},
    store: memory(),
    concurrency: 3
  });
  assert.equal(again.submitted.length, 0, 'nothing runs again');
  assert.deepEqual(
    resumed.trials.map(t => t.status),
    ['cancelled-by-goal', 'succeeded', 'cancelled-by-goal']
  );
});

const param = (name: string): Parameter => ({ name, type: 'number', default: 1, cellIndex: 1, line: 1 });
const katib = (earlyStopping: unknown) => ({
  objective: { type: 'minimize', objectiveMetricName: 'loss' },
  algorithm: { algorithmName: 'random' },
  maxTrialCount: 4,
  parallelTrialCount: 1,
  parameters: [{ name: 'x', parameterType: 'double', feasibleSpace: { min: '0', max: '1' } }],
  earlyStopping
});
const nb = { parameters: [param('x')], metrics: [{ name: 'loss' }] };

test("earlyStopping is read with Katib's names and defaults; a bad one is a coded error naming the field", () => {
  assert.deepEqual(readExperimentSpec(katib({ algorithmName: 'medianstop' }), nb).spec?.earlyStopping, {
    algorithmName: 'medianstop',
    algorithmSettings: [],
    minTrialsRequired: 3,
    startStep: 4
  });
  const set = readExperimentSpec(
    katib({
      algorithmName: 'medianstop',
      algorithmSettings: [
        { name: 'min_trials_required', value: '1' },
        { name: 'start_step', value: 2 }
      ]
    }),
    nb
  ).spec?.earlyStopping;
  assert.equal(set?.minTrialsRequired, 1);
  assert.equal(set?.startStep, 2);
  assert.equal(readExperimentSpec(katib(undefined), nb).spec?.earlyStopping, undefined);

  const codes = (value: unknown) => readExperimentSpec(katib(value), nb).diagnostics.map(d => [d.code, d.message]);
  assert.deepEqual(codes({ algorithmName: 'hyperband' })[0][0], 'tune-unknown-algorithm');
  assert.match(codes({ algorithmName: 'hyperband' })[0][1], /katib_metadata\.earlyStopping\.algorithmName/);
  const unknown = codes({ algorithmName: 'medianstop', algorithmSettings: [{ name: 'patience', value: '3' }] });
  assert.equal(unknown[0][0], 'tune-unknown-setting');
  const bad = codes({ algorithmName: 'medianstop', algorithmSettings: [{ name: 'start_step', value: '0' }] });
  assert.deepEqual(bad[0][0], 'tune-invalid-field');
  assert.match(bad[0][1], /earlyStopping\.algorithmSettings\[0\]\.value/);
  assert.equal(codes('medianstop')[0][0], 'tune-invalid-field');
});
