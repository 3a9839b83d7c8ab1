/**
 * The spec the Tune dialog writes is the one the backend reads: each space below is built from a form and handed
 * to the server's own `readExperimentSpec`, which must accept it and read back what the form said. A form with
 * problems shows them in the dialog and writes nothing.
 */
import { nullTranslator } from '@jupyterlab/translation';
import React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { readExperimentSpec } from '../../server-ts/dist/src/tune/spec.js';
import { TuneEditor } from '../components/tune/TuneDialog';
import type { Metric, Parameter } from '../ir';
import { draftFromNotebook, ITuneDraft, katibMetadataFromDraft } from '../tune/katib-spec';
import { readTuneSettings, writeTuneSettings } from '../tune/tune-settings';

const trans = nullTranslator.load('cellflow');

const parameter = (name: string, value: number | string | boolean, cellIndex = 4): Parameter => ({
  name,
  type: typeof value as Parameter['type'],
  default: value,
  cellIndex,
  line: 1
});
/** The XOR example's parameters cell and metrics. */
const PARAMETERS = [
  parameter('epochs', 20),
  parameter('learning_rate', 0.05),
  parameter('hidden_units', 16),
  parameter('optimizer', 'adam'),
  parameter('shuffle', true)
];
const METRICS: Metric[] = [
  { name: 'linear_test_acc', step: 'evaluate', cellIndex: 12, line: 1 },
  { name: 'hidden_test_acc', step: 'evaluate', cellIndex: 12, line: 2 }
];

function form(edit: (draft: ITuneDraft) => void): ITuneDraft {
  const draft = draftFromNotebook(PARAMETERS, METRICS);
  edit(draft);
  return draft;
}

function tune(draft: ITuneDraft, name: string, changes: Partial<ITuneDraft['parameters'][number]>): void {
  const p = draft.parameters.find(p => p.name === name)!;
  Object.assign(p, { tuned: true }, changes);
}

function serverReads(draft: ITuneDraft) {
  const { metadata, problems } = katibMetadataFromDraft(draft, trans);
  expect(problems).toEqual([]);
  // Through JSON, as the notebook file carries it.
  const written = JSON.parse(JSON.stringify(metadata));
  const { spec, diagnostics } = readExperimentSpec(written, { parameters: PARAMETERS, metrics: METRICS });
  expect(diagnostics).toEqual([]);
  return { spec: spec!, written };
}

describe('the Tune dialog’s spec', () => {
  it('pre-fills from the parameters cell and the metrics', () => {
    const draft = draftFromNotebook(PARAMETERS, METRICS);
    expect(draft.parameters.map(p => [p.name, p.parameterType, p.min, p.max, p.log, p.tuned])).toEqual([
      ['epochs', 'int', '10', '40', false, false],
      ['learning_rate', 'double', '0.005', '0.5', true, false],
      ['hidden_units', 'int', '8', '32', false, false],
      ['optimizer', 'categorical', '', '', false, false],
      ['shuffle', 'categorical', '', '', false, false]
    ]);
    expect(draft.parameters.find(p => p.name === 'optimizer')!.list).toBe('adam');
    expect(draft.parameters.find(p => p.name === 'shuffle')!.list).toBe('true, false');
    expect(draft.metrics).toEqual(['linear_test_acc', 'hidden_test_acc']);
    expect(draft.objectiveMetricName).toBe('hidden_test_acc');
  });

  it('a grid over a double and an int: the server reads 4 trials, maximizing the metric', () => {
    const draft = form(d => {
      d.algorithm = 'grid';
      d.maxTrialCount = '';
      d.parallelTrialCount = '2';
      d.objectiveMetricName = 'hidden_test_acc';
      tune(d, 'learning_rate', { log: false, min: '0.01', max: '0.1', step: '0.09' });
      tune(d, 'hidden_units', { min: '4', max: '16', step: '12' });
    });
    const { spec, written } = serverReads(draft);
    expect(written.algorithm).toEqual({ algorithmName: 'grid', algorithmSettings: [] });
    expect(written.parameters[0]).toEqual({
      name: 'learning_rate',
      parameterType: 'double',
      feasibleSpace: { min: '0.01', max: '0.1', step: '0.09' }
    });
    expect(written.objective).toEqual({
      type: 'maximize',
      objectiveMetricName: 'hidden_test_acc',
      additionalMetricNames: ['linear_test_acc']
    });
    expect(spec.maxTrialCount).toBe(4);
    expect(spec.parallelTrialCount).toBe(2);
    expect(spec.objective).toMatchObject({ type: 'maximize', objectiveMetricName: 'hidden_test_acc', goal: null });
    expect(spec.parameters.map(p => p.name)).toEqual(['learning_rate', 'hidden_units']);
  });

  it('TPE with a seed, a log range, a goal and a failure budget', () => {
    const draft = form(d => {
      d.algorithm = 'tpe';
      d.seed = '7';
      d.goal = '0.98';
      d.maxTrialCount = '20';
      d.parallelTrialCount = '3';
      d.maxFailedTrialCount = '2';
      tune(d, 'learning_rate', {});
    });
    const { spec, written } = serverReads(draft);
    expect(written.parameters[0].feasibleSpace).toEqual({ min: '0.005', max: '0.5', distribution: 'logUniform' });
    expect(spec.algorithm).toMatchObject({ algorithmName: 'tpe', seed: 7 });
    expect(spec.objective.goal).toBe(0.98);
    expect(spec.parameters[0]).toMatchObject({ parameterType: 'double', log: true, min: 0.005, max: 0.5 });
    expect(spec).toMatchObject({ maxTrialCount: 20, parallelTrialCount: 3, maxFailedTrialCount: 2 });
  });

  it('lists: discrete numbers, categorical strings and booleans, minimizing', () => {
    const draft = form(d => {
      d.algorithm = 'random';
      d.objectiveType = 'minimize';
      d.objectiveMetricName = 'linear_test_acc';
      tune(d, 'epochs', { parameterType: 'discrete', list: '5, 10, 20' });
      tune(d, 'optimizer', { list: 'adam, sgd' });
      tune(d, 'shuffle', {});
    });
    const { spec } = serverReads(draft);
    expect(spec.objective.type).toBe('minimize');
    expect(spec.parameters).toEqual([
      { name: 'epochs', parameterType: 'discrete', list: [5, 10, 20] },
      { name: 'optimizer', parameterType: 'categorical', list: ['adam', 'sgd'] },
      { name: 'shuffle', parameterType: 'categorical', list: [true, false] }
    ]);
  });

  it('multivariate TPE over an int on a log scale', () => {
    const draft = form(d => {
      d.algorithm = 'multivariate-tpe';
      tune(d, 'hidden_units', { log: true, min: '2', max: '64' });
      tune(d, 'epochs', { min: '5', max: '30', step: '5' });
    });
    const { spec } = serverReads(draft);
    // In the parameters cell's order.
    expect(spec.parameters[0]).toMatchObject({ name: 'epochs', min: 5, max: 30, step: 5 });
    expect(spec.parameters[1]).toMatchObject({ name: 'hidden_units', parameterType: 'int', log: true, step: 1 });
  });

  it('reads back a spec it wrote, so the dialog opens on it', () => {
    const first = form(d => {
      d.algorithm = 'grid';
      d.maxTrialCount = '';
      tune(d, 'learning_rate', { log: false, min: '0.01', max: '0.1', step: '0.09' });
    });
    const { written } = serverReads(first);
    const again = draftFromNotebook(PARAMETERS, METRICS, written);
    expect(katibMetadataFromDraft(again, trans).metadata).toEqual(written);
  });

  it.each<[string, (d: ITuneDraft) => void, string]>([
    ['nothing tuned', () => undefined, 'parameters'],
    ['min above max', d => tune(d, 'epochs', { min: '30', max: '5' }), 'parameters.epochs'],
    ['a log range from 0', d => tune(d, 'learning_rate', { min: '0' }), 'parameters.learning_rate'],
    ['an empty list', d => tune(d, 'optimizer', { list: ' , ' }), 'parameters.optimizer'],
    [
      'a grid over a double with no step',
      d => {
        d.algorithm = 'grid';
        tune(d, 'learning_rate', { log: false });
      },
      'parameters.learning_rate'
    ],
    [
      'more grid trials than combinations',
      d => {
        d.algorithm = 'grid';
        d.maxTrialCount = '5';
        tune(d, 'hidden_units', { min: '4', max: '16', step: '12' });
      },
      'maxTrialCount'
    ],
    [
      'more trials at once than trials',
      d => {
        tune(d, 'epochs', {});
        d.maxTrialCount = '2';
        d.parallelTrialCount = '3';
      },
      'parallelTrialCount'
    ],
    ['a seed that is not a number', d => ((d.seed = 'abc'), tune(d, 'epochs', {})), 'seed']
  ])('%s is a problem of its field, and no spec', (_, edit, field) => {
    const { metadata, problems } = katibMetadataFromDraft(form(edit), trans);
    expect(metadata).toBeNull();
    expect(problems.map(p => p.field)).toContain(field);
  });
});

describe('the Tune dialog', () => {
  let host: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    host = document.createElement('div');
    document.body.appendChild(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  it('shows a problem in the form when min is typed above max, and its value has no spec', () => {
    let edited: ITuneDraft | null = null;
    const initial = form(d => tune(d, 'epochs', {}));
    act(() => root.render(<TuneEditor initial={initial} onChange={d => (edited = d)} trans={trans} />));
    expect(host.querySelectorAll('.jp-cellflow-FieldProblem')).toHaveLength(0);

    const min = host.querySelector<HTMLInputElement>('input[name="min-epochs"]')!;
    act(() => {
      // React listens for `input`; the setter it patches must be bypassed for it to see the change.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(min, '100');
      min.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const problems = Array.from(host.querySelectorAll('.jp-cellflow-FieldProblem')).map(n => n.textContent);
    expect(problems).toEqual(['epochs: min is above max.']);
    expect(katibMetadataFromDraft(edited!, trans).metadata).toBeNull();
  });
});

describe('the tuning switch and spec in the notebook’s metadata', () => {
  it('writes metadata.cellflow only, read over Kale’s key', () => {
    const kale = { katib_run: true, katib_metadata: { maxTrialCount: 3 } };
    const { metadata } = katibMetadataFromDraft(
      form(d => tune(d, 'epochs', {})),
      trans
    );
    const ours = writeTuneSettings(kale, { pipeline_name: 'xor' }, { katibMetadata: metadata!, enabled: false });
    expect(ours).toEqual({ pipeline_name: 'xor', katib_run: false, katib_metadata: metadata });
    expect(readTuneSettings(kale, ours)).toEqual({ enabled: false, katibMetadata: metadata });
    expect(writeTuneSettings({}, ours, { enabled: false })).not.toHaveProperty('katib_run');
    expect(readTuneSettings(kale, {})).toEqual({ enabled: true, katibMetadata: { maxTrialCount: 3 } });
  });
});
