/**
 * The trials view's model reads the experiment, reads it again every interval while it runs (through the API
 * class, here answering from a script of records), stores only changed records, and stops once it ended. The chart
 * options are pure functions of the record.
 */
import { nullTranslator } from '@jupyterlab/translation';
import { ExperimentApi } from '../tune/experiment-api';
import { ExperimentModel } from '../tune/experiment-model';
import type { ExperimentView, TrialRecord } from '../tune/experiment-types';
import { bestSoFar, objectiveChartOption, parallelChartOption, scoredTrials } from '../tune/trial-charts';

const trans = nullTranslator.load('cellflow');

function trial(number: number, changes: Partial<TrialRecord> = {}): TrialRecord {
  return {
    number,
    assignment: { learning_rate: [0.01, 0.1][number % 2], hidden_units: [4, 16][Math.floor(number / 2) % 2] },
    status: 'succeeded',
    runId: `run-${number}`,
    objective: null,
    metrics: {},
    ...changes
  };
}

function experiment(trials: TrialRecord[], changes: Partial<ExperimentView> = {}): ExperimentView {
  return {
    version: 1,
    id: '01JEXPERIMENT0000000000001',
    notebookPath: 'xor.ipynb',
    spec: {
      objective: { type: 'maximize', goal: null, objectiveMetricName: 'hidden_test_acc', additionalMetricNames: [] },
      algorithm: { algorithmName: 'grid', algorithmSettings: [], seed: null, nStartupTrials: 10, nEiCandidates: 24 },
      parameters: [
        { name: 'learning_rate', parameterType: 'double', min: 0.01, max: 0.1, step: 0.09, log: false },
        { name: 'hidden_units', parameterType: 'int', min: 4, max: 16, step: 12, log: false }
      ],
      parallelTrialCount: 2,
      maxTrialCount: 4,
      maxFailedTrialCount: null
    },
    seed: 7,
    status: 'running',
    trials,
    bestTrial: null,
    running: changes.status === undefined || changes.status === 'running',
    ...changes
  };
}

/** An API whose `get` answers the scripted records in turn (the last one for ever after), counting the calls. */
class ScriptedApi extends ExperimentApi {
  constructor(private readonly script: (ExperimentView | Error)[]) {
    super();
  }
  gets = 0;
  cancels = 0;
  get(): Promise<ExperimentView> {
    const answer = this.script[Math.min(this.gets, this.script.length - 1)];
    this.gets++;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(structuredClone(answer));
  }
  cancel(): Promise<ExperimentView> {
    this.cancels++;
    return this.get();
  }
}

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await wait(5);
  }
}

describe('ExperimentModel', () => {
  const RUNNING_0 = experiment([trial(0, { status: 'running' }), trial(1, { status: 'running' })]);
  const RUNNING_1 = experiment([trial(0, { objective: 0.9 }), trial(1, { status: 'running' })], { bestTrial: 0 });
  const DONE = experiment(
    [
      trial(0, { objective: 0.9 }),
      trial(1, { objective: 0.95 }),
      trial(2, { objective: 0.8 }),
      trial(3, { objective: 0.93 })
    ],
    { status: 'succeeded', reason: 'max-trials', bestTrial: 1 }
  );

  it('follows a running experiment until it ends, storing each change once, then stops reading', async () => {
    const api = new ScriptedApi([RUNNING_0, RUNNING_0, RUNNING_1, RUNNING_1, DONE]);
    const model = new ExperimentModel({ experimentId: RUNNING_0.id, notebookPath: 'xor.ipynb', api, interval: 10 });
    const seen: string[] = [];
    model.stateChanged.connect(() => seen.push(`${model.record?.status}:${model.record?.bestTrial}`));
    let finished: ExperimentView | null = null;
    model.finished.connect((_, record) => (finished = record));

    await model.start();
    expect(model.following).toBe(true);
    await until(() => finished !== null);
    expect(seen).toEqual(['running:null', 'running:0', 'succeeded:1']);
    expect(model.bestTrial?.objective).toBe(0.95);
    expect(model.following).toBe(false);
    const reads = api.gets;
    await wait(60);
    expect(api.gets).toBe(reads);
    model.dispose();
  });

  it('reads a past experiment once and does not follow it', async () => {
    const api = new ScriptedApi([DONE]);
    const model = new ExperimentModel({ experimentId: DONE.id, notebookPath: 'xor.ipynb', api, interval: 10 });
    await model.start();
    expect(model.record?.status).toBe('succeeded');
    expect(model.following).toBe(false);
    await wait(40);
    expect(api.gets).toBe(1);
  });

  it('a failed read is shown with its message and the next read clears it', async () => {
    const api = new ScriptedApi([RUNNING_0, new Error('proxy hiccup'), DONE]);
    const model = new ExperimentModel({ experimentId: RUNNING_0.id, notebookPath: 'xor.ipynb', api, interval: 10 });
    const errors: (string | null)[] = [];
    model.stateChanged.connect(() => errors.push(model.error?.message ?? null));
    await model.start();
    await until(() => model.record?.status === 'succeeded');
    expect(errors).toContain('proxy hiccup');
    expect(model.error).toBeNull();
  });

  it('cancel asks the backend and reads the record again', async () => {
    const api = new ScriptedApi([RUNNING_0]);
    const model = new ExperimentModel({ experimentId: RUNNING_0.id, notebookPath: 'xor.ipynb', api, interval: 1000 });
    await model.start();
    await model.cancel();
    expect(api.cancels).toBe(1);
    expect(api.gets).toBeGreaterThanOrEqual(2);
    model.dispose();
    expect(model.following).toBe(false);
  });
});

describe('the trials view’s charts', () => {
  const record = experiment(
    [
      trial(0, { objective: 0.8 }),
      trial(1, { objective: 0.95 }),
      trial(2, { status: 'failed', error: 'step train_hidden failed' }),
      trial(3, { status: 'running', intermediate: [0.5] }),
      trial(4, { status: 'early-stopped', objective: 0.6 }),
      trial(5, { objective: 0.9 })
    ],
    { bestTrial: 1 }
  );

  it('the best so far follows the direction, counting succeeded trials only', () => {
    expect(bestSoFar(record)).toEqual([0.8, 0.95, 0.95, 0.95, 0.95, 0.95]);
    const minimizing = {
      ...record,
      spec: { ...record.spec, objective: { ...record.spec.objective, type: 'minimize' as const } }
    };
    // The early-stopped trial's 0.6 is its last report, not a result: it does not become the best.
    expect(bestSoFar(minimizing)).toEqual([0.8, 0.8, 0.8, 0.8, 0.8, 0.8]);
    expect(scoredTrials(record).map(t => t.number)).toEqual([0, 1, 4, 5]);
  });

  it('objective per trial: points, the best-so-far step line, the best trial apart', () => {
    const option = objectiveChartOption(record, trans) as any;
    expect(option.xAxis.data).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
    expect(option.yAxis.name).toBe('hidden_test_acc');
    const [trials, best, bestTrial] = option.series;
    expect(trials.data).toEqual([0.8, null, null, null, 0.6, 0.9]);
    expect(best).toMatchObject({ type: 'line', step: 'end', data: [0.8, 0.95, 0.95, 0.95, 0.95, 0.95] });
    expect(bestTrial.data).toEqual([null, 0.95, null, null, null, null]);
    expect(option.animation).toBe(false);
  });

  it('parallel coordinates: an axis per parameter and the objective, a line per scored trial, the best wide', () => {
    const listed: ExperimentView = {
      ...record,
      spec: {
        ...record.spec,
        parameters: [
          { name: 'learning_rate', parameterType: 'double', min: 0.01, max: 0.1, step: null, log: true },
          { name: 'hidden_units', parameterType: 'discrete', list: [4, 16] }
        ]
      }
    };
    const option = parallelChartOption(listed, trans) as any;
    expect(option.parallelAxis.map((a: any) => [a.dim, a.name, a.type])).toEqual([
      [0, 'learning_rate', 'log'],
      [1, 'hidden_units', 'category'],
      [2, 'hidden_test_acc', 'value']
    ]);
    expect(option.parallelAxis[1].data).toEqual(['4', '16']);
    const rows = option.series[0].data;
    expect(rows.map((r: any) => r.name)).toEqual(['#1', '#2', '#5', '#6']);
    expect(rows[1]).toEqual({ name: '#2', value: [0.1, '4', 0.95], lineStyle: expect.objectContaining({ width: 4 }) });
    expect(rows[0].lineStyle).toBeUndefined();
  });
});
