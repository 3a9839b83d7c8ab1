/**
 * The Tune dialog's form and the tuning spec it writes: `katib_metadata` with Katib's Experiment field names
 * (DESIGN.md), as the backend's `readExperimentSpec` (server-ts/src/tune/spec.ts) reads it. Pure: the form is
 * pre-filled from the IR's parameters and metrics (or from a spec already written), checked, and turned into the
 * metadata. The checks are the ones a form can get wrong; the backend checks the spec again when tuning starts.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Metric, Parameter, ParameterValue } from '../ir';

export const ALGORITHMS = ['random', 'grid', 'tpe', 'multivariate-tpe'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];
export type KatibParameterType = 'int' | 'double' | 'discrete' | 'categorical';

/** One parameter of the parameters cell as the form holds it: texts, as typed. */
export interface IParameterDraft {
  name: string;
  /** The parameters cell's type of it: only numbers can be ranges or `discrete`. */
  notebookType: Parameter['type'];
  tuned: boolean;
  parameterType: KatibParameterType;
  min: string;
  max: string;
  step: string;
  /** Katib's `distribution: logUniform`. */
  log: boolean;
  /** `discrete` and `categorical`: the values, comma-separated. */
  list: string;
}

export interface ITuneDraft {
  parameters: IParameterDraft[];
  algorithm: AlgorithmName;
  /** `random_state`; empty: a seed is drawn and recorded when tuning starts. */
  seed: string;
  /** The pipeline's metrics, in the order of the metrics cell. */
  metrics: string[];
  objectiveMetricName: string;
  objectiveType: 'minimize' | 'maximize';
  /** Empty: no goal, the whole budget runs. */
  goal: string;
  /** Empty for grid: the grid's size. */
  maxTrialCount: string;
  /** Empty: Katib's default (3). */
  parallelTrialCount: string;
  /** Empty: failures stop nothing but the budget. */
  maxFailedTrialCount: string;
}

/** Katib's Experiment fields as `katib_metadata` holds them (numbers in `feasibleSpace` as strings, as Katib writes). */
export interface IKatibMetadata {
  objective: {
    type: 'minimize' | 'maximize';
    goal?: number;
    objectiveMetricName: string;
    additionalMetricNames: string[];
  };
  algorithm: { algorithmName: AlgorithmName; algorithmSettings: { name: string; value: string }[] };
  parameters: {
    name: string;
    parameterType: KatibParameterType;
    feasibleSpace: { min?: string; max?: string; step?: string; distribution?: 'logUniform'; list?: string[] };
  }[];
  parallelTrialCount?: number;
  maxTrialCount?: number;
  maxFailedTrialCount?: number;
}

/** A problem of the form, for people, and the field it is in (`parameters.<name>`, `maxTrialCount`, ...). */
export interface ITuneProblem {
  field: string;
  message: string;
}

/**
 * The form for a notebook: from the spec it already has, where it names the notebook's parameters, else from
 * the parameters cell (a number as a range around its value, anything else as a list holding its value).
 */
export function draftFromNotebook(
  parameters: readonly Parameter[],
  metrics: readonly Pick<Metric, 'name'>[],
  existing?: unknown
): ITuneDraft {
  const spec = asRecord(existing);
  const hasSpec = Object.keys(spec).length > 0;
  const written = new Map<string, Record<string, unknown>>();
  for (const entry of Array.isArray(spec.parameters) ? spec.parameters : []) {
    const record = asRecord(entry);
    if (typeof record.name === 'string') {
      written.set(record.name, record);
    }
  }
  const objective = asRecord(spec.objective);
  const algorithm = asRecord(spec.algorithm);
  const settings = Array.isArray(algorithm.algorithmSettings) ? algorithm.algorithmSettings.map(asRecord) : [];
  const metricNames = metrics.map(m => m.name);
  const objectiveName =
    typeof objective.objectiveMetricName === 'string' && metricNames.includes(objective.objectiveMetricName)
      ? objective.objectiveMetricName
      : (metricNames[metricNames.length - 1] ?? '');
  return {
    parameters: parameters.map(p => parameterDraft(p, written.get(p.name))),
    algorithm: (ALGORITHMS as readonly unknown[]).includes(algorithm.algorithmName)
      ? (algorithm.algorithmName as AlgorithmName)
      : 'random',
    seed: text(settings.find(s => s.name === 'random_state')?.value),
    metrics: metricNames,
    objectiveMetricName: objectiveName,
    objectiveType: objective.type === 'minimize' ? 'minimize' : 'maximize',
    goal: text(objective.goal),
    // A spec written without a budget keeps none (grid: the whole grid); a new one starts small.
    maxTrialCount: hasSpec ? text(spec.maxTrialCount) : '12',
    parallelTrialCount: hasSpec ? text(spec.parallelTrialCount) : '2',
    maxFailedTrialCount: text(spec.maxFailedTrialCount)
  };
}

function parameterDraft(parameter: Parameter, written: Record<string, unknown> | undefined): IParameterDraft {
  const base = rangeAround(parameter);
  if (!written) {
    return base;
  }
  const space = asRecord(written.feasibleSpace);
  const type = written.parameterType;
  const parameterType = (['int', 'double', 'discrete', 'categorical'] as unknown[]).includes(type)
    ? (type as KatibParameterType)
    : base.parameterType;
  return {
    ...base,
    tuned: true,
    parameterType,
    min: space.min === undefined ? base.min : text(space.min),
    max: space.max === undefined ? base.max : text(space.max),
    step: text(space.step),
    log: space.distribution === 'logUniform',
    list: Array.isArray(space.list) ? space.list.map(text).join(', ') : base.list
  };
}

/** A number's range: an int from half to twice its value; a double a decade either side on a log scale. */
function rangeAround(parameter: Parameter): IParameterDraft {
  const draft: IParameterDraft = {
    name: parameter.name,
    notebookType: parameter.type,
    tuned: false,
    parameterType: 'categorical',
    min: '',
    max: '',
    step: '',
    log: false,
    list: parameter.type === 'boolean' ? 'true, false' : String(parameter.default)
  };
  const value = parameter.default;
  if (typeof value !== 'number') {
    return draft;
  }
  if (Number.isInteger(value)) {
    const low = value > 0 ? Math.max(1, Math.floor(value / 2)) : value;
    return { ...draft, parameterType: 'int', min: String(low), max: String(value > 0 ? value * 2 : value + 10) };
  }
  if (value > 0) {
    return { ...draft, parameterType: 'double', min: round(value / 10), max: round(value * 10), log: true };
  }
  return { ...draft, parameterType: 'double', min: String(value - 1), max: String(value + 1) };
}

/** Every problem of the form, each with its field; none: `katibMetadataFromDraft` gives the spec. */
export function tuneProblems(draft: ITuneDraft, trans: TranslationBundle): ITuneProblem[] {
  return build(draft, trans).problems;
}

/** The spec the form describes, or null with its problems. */
export function katibMetadataFromDraft(
  draft: ITuneDraft,
  trans: TranslationBundle
): { metadata: IKatibMetadata | null; problems: ITuneProblem[] } {
  return build(draft, trans);
}

function build(
  draft: ITuneDraft,
  trans: TranslationBundle
): { metadata: IKatibMetadata | null; problems: ITuneProblem[] } {
  const problems: ITuneProblem[] = [];
  const report = (field: string, message: string) => problems.push({ field, message });
  const grid = draft.algorithm === 'grid';
  const tuned = draft.parameters.filter(p => p.tuned);
  if (tuned.length === 0) {
    report('parameters', trans.__('Choose at least one parameter to tune.'));
  }
  const parameters: IKatibMetadata['parameters'] = [];
  let gridSize = 1;
  for (const p of tuned) {
    const field = `parameters.${p.name}`;
    const say = (message: string) => report(field, `${p.name}: ${message}`);
    if (p.parameterType === 'discrete' || p.parameterType === 'categorical') {
      const list = splitList(p.list);
      if (list.length === 0) {
        say(trans.__('list the values to try, separated by commas.'));
        continue;
      }
      if (new Set(list).size !== list.length) {
        say(trans.__('list each value once.'));
        continue;
      }
      if (p.parameterType === 'discrete' || p.notebookType === 'number') {
        if (p.notebookType !== 'number') {
          say(trans.__('a discrete list holds numbers; make it categorical.'));
          continue;
        }
        const bad = list.filter(v => number(v) === null);
        if (bad.length > 0) {
          say(trans.__('not a number: %1.', bad.join(', ')));
          continue;
        }
      } else if (p.notebookType === 'boolean' && list.some(v => v !== 'true' && v !== 'false')) {
        say(trans.__('list only true and false.'));
        continue;
      }
      gridSize *= list.length;
      parameters.push({ name: p.name, parameterType: p.parameterType, feasibleSpace: { list } });
      continue;
    }
    if (p.notebookType !== 'number') {
      say(trans.__('only a number can be a range; list its values instead.'));
      continue;
    }
    const min = number(p.min);
    const max = number(p.max);
    const step = p.step.trim() === '' ? null : number(p.step);
    if (min === null || max === null || (p.step.trim() !== '' && step === null)) {
      say(trans.__('min, max and step must be numbers.'));
      continue;
    }
    if (min > max) {
      say(trans.__('min is above max.'));
      continue;
    }
    if (step !== null && step <= 0) {
      say(trans.__('the step must be above 0.'));
      continue;
    }
    if (p.parameterType === 'int' && [min, max, step ?? 1].some(v => !Number.isInteger(v))) {
      say(trans.__('an int range takes whole numbers.'));
      continue;
    }
    if (p.log && min <= 0) {
      say(trans.__('a log scale needs min above 0.'));
      continue;
    }
    if (p.log && step !== null && !(p.parameterType === 'int' && step === 1)) {
      say(trans.__('a log scale takes no step.'));
      continue;
    }
    if (grid && p.log) {
      say(trans.__('a grid search takes no log scale; list its values instead.'));
      continue;
    }
    if (grid && p.parameterType === 'double' && step === null) {
      say(trans.__('a grid search needs a step.'));
      continue;
    }
    const space: IKatibMetadata['parameters'][number]['feasibleSpace'] = { min: p.min.trim(), max: p.max.trim() };
    if (step !== null) {
      space.step = p.step.trim();
    }
    if (p.log) {
      space.distribution = 'logUniform';
    }
    gridSize *= Math.floor((max - min) / (step ?? 1) + 1e-9) + 1;
    parameters.push({ name: p.name, parameterType: p.parameterType, feasibleSpace: space });
  }

  if (!draft.metrics.includes(draft.objectiveMetricName)) {
    report(
      'objectiveMetricName',
      draft.metrics.length === 0
        ? trans.__('The notebook has no metrics: add a pipeline-metrics cell naming the value to optimize.')
        : trans.__('Choose the metric to optimize.')
    );
  }
  const goal = draft.goal.trim() === '' ? null : number(draft.goal);
  if (draft.goal.trim() !== '' && goal === null) {
    report('goal', trans.__('Goal: a number, or empty to use the whole budget.'));
  }
  const seed = draft.seed.trim() === '' ? null : number(draft.seed);
  if (draft.seed.trim() !== '' && (seed === null || !Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)) {
    report('seed', trans.__('Seed: a whole number from 0 to 4294967295, or empty to draw one.'));
  }
  const count = (value: string, field: string, label: string, min: number, optional: boolean): number | null => {
    if (value.trim() === '') {
      if (!optional) {
        report(field, trans.__('%1: a whole number of at least %2.', label, min));
      }
      return null;
    }
    const n = number(value);
    if (n === null || !Number.isSafeInteger(n) || n < min) {
      report(field, trans.__('%1: a whole number of at least %2.', label, min));
      return null;
    }
    return n;
  };
  const maxTrials = count(draft.maxTrialCount, 'maxTrialCount', trans.__('Trials'), 1, grid);
  // Empty: Katib's default, 3 at once.
  const parallel = count(draft.parallelTrialCount, 'parallelTrialCount', trans.__('Trials at once'), 1, true);
  const maxFailed = count(draft.maxFailedTrialCount, 'maxFailedTrialCount', trans.__('Failed trials allowed'), 0, true);
  const budget = maxTrials ?? (grid && parameters.length === tuned.length ? gridSize : null);
  if (grid && maxTrials !== null && parameters.length === tuned.length && maxTrials > gridSize) {
    report('maxTrialCount', trans.__('Trials: the grid has %1 combinations; ask for at most that many.', gridSize));
  }
  if (budget !== null && (parallel ?? 3) > budget) {
    report('parallelTrialCount', trans.__('Trials at once: at most the %1 trials.', budget));
  }
  if (budget !== null && maxFailed !== null && maxFailed > budget) {
    report('maxFailedTrialCount', trans.__('Failed trials allowed: at most the %1 trials.', budget));
  }
  if (problems.length > 0) {
    return { metadata: null, problems };
  }

  const metadata: IKatibMetadata = {
    objective: {
      type: draft.objectiveType,
      objectiveMetricName: draft.objectiveMetricName,
      // Kale records the other metrics too, so every trial's table shows them.
      additionalMetricNames: draft.metrics.filter(m => m !== draft.objectiveMetricName)
    },
    algorithm: {
      algorithmName: draft.algorithm,
      algorithmSettings: seed === null ? [] : [{ name: 'random_state', value: String(seed) }]
    },
    parameters
  };
  if (parallel !== null) {
    metadata.parallelTrialCount = parallel;
  }
  if (goal !== null) {
    metadata.objective.goal = goal;
  }
  if (maxTrials !== null) {
    metadata.maxTrialCount = maxTrials;
  }
  if (maxFailed !== null) {
    metadata.maxFailedTrialCount = maxFailed;
  }
  return { metadata, problems };
}

/** The tuned values a parameter takes, as the table shows them. */
export function formatValue(value: ParameterValue | undefined): string {
  return value === undefined ? '' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map(v => v.trim())
    .filter(v => v !== '');
}

function number(value: string): number | null {
  if (value.trim() === '') {
    return null;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function round(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
