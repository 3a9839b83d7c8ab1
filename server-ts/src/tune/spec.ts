/**
 * Reads the tuning spec from the notebook's settings (`katib_metadata`, Katib's Experiment field
 * names, DESIGN.md) and checks it against the notebook's parameters and metrics. Katib writes
 * numbers in `feasibleSpace` as strings; numbers are taken too. Every problem is a coded diagnostic
 * naming the field; all are reported at once. Written as plain checks: the repository has no schema
 * library, and each check needs a fix of its own in its message.
 */
import type { Metric, Parameter, ParameterValue } from '../ir.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { tuneError } from '../diagnostics/codes.js';
import { gridSize } from './samplers/grid.js';
import {
  ALGORITHMS,
  type AlgorithmName,
  EARLY_STOPPING_ALGORITHMS,
  type EarlyStopping,
  type ExperimentSpec,
  lastOnGrid,
  type ParameterSpace
} from './types.js';

/** Settings each algorithm takes (Katib's Optuna suggestion service names them so). */
const SETTINGS: Record<AlgorithmName, readonly string[]> = {
  random: ['random_state'],
  grid: ['random_state'],
  tpe: ['random_state', 'n_startup_trials', 'n_ei_candidates'],
  'multivariate-tpe': ['random_state', 'n_startup_trials', 'n_ei_candidates']
};
/** Katib's default when the spec sets none. */
const DEFAULT_PARALLEL_TRIALS = 3;
/** Katib's `medianstop` settings and their defaults. */
const MEDIAN_STOP_DEFAULTS = { min_trials_required: 3, start_step: 4 } as const;
const PARAMETER_TYPES = ['int', 'double', 'discrete', 'categorical'] as const;
const DISTRIBUTIONS = ['uniform', 'logUniform'] as const;

export interface SpecResult {
  spec: ExperimentSpec | null;
  diagnostics: Diagnostic[];
}

export interface NotebookInterface {
  parameters: readonly Parameter[];
  /** The metrics cell's names; when given, the objective must be one of them. */
  metrics?: readonly Pick<Metric, 'name'>[];
}

export function readExperimentSpec(katibMetadata: unknown, notebook: NotebookInterface): SpecResult {
  const reader = new SpecReader(notebook);
  const spec = reader.read(katibMetadata);
  return { spec: reader.diagnostics.length === 0 ? spec : null, diagnostics: reader.diagnostics };
}

class SpecReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(private readonly notebook: NotebookInterface) {}

  read(metadata: unknown): ExperimentSpec | null {
    if (!isRecord(metadata)) {
      this.report(
        metadata === undefined
          ? tuneError.missingField(
              '',
              "Add `katib_metadata` to the notebook's metadata under `kubeflow_notebook` (or `cellflow`), as Kale does: objective, algorithm, parameters and maxTrialCount."
            )
          : tuneError.invalidField(
              '',
              'is not an object',
              "Write `katib_metadata` as a JSON object, as Katib's Experiment spec."
            )
      );
      return null;
    }
    const objective = this.objective(metadata.objective);
    const algorithm = this.algorithm(metadata.algorithm);
    const parameters = this.parameters(metadata.parameters, algorithm?.algorithmName);
    const parallelTrialCount =
      this.count(metadata.parallelTrialCount, 'parallelTrialCount', 1) ?? DEFAULT_PARALLEL_TRIALS;
    const maxFailedTrialCount = this.count(metadata.maxFailedTrialCount, 'maxFailedTrialCount', 0);
    let maxTrialCount = this.count(metadata.maxTrialCount, 'maxTrialCount', 1);
    const budgetGiven = metadata.maxTrialCount !== undefined && metadata.maxTrialCount !== null;
    const earlyStopping = this.earlyStopping(metadata.earlyStopping);
    if (!objective || !algorithm || !parameters) return null;

    if (algorithm.algorithmName === 'grid') {
      const size = gridSize(parameters);
      if (!budgetGiven) maxTrialCount = size;
      else if (maxTrialCount !== null && maxTrialCount > size)
        this.report(
          tuneError.invalidField(
            'maxTrialCount',
            `is ${maxTrialCount}, more than the grid's ${size} combinations`,
            `Set \`maxTrialCount\` to at most ${size}, or add values (a smaller \`step\`, a longer \`list\`).`
          )
        );
    }
    if (maxTrialCount === null) {
      if (!budgetGiven) this.report(tuneError.noBudget(algorithm.algorithmName));
      return null;
    }
    if (parallelTrialCount > maxTrialCount)
      this.report(
        tuneError.invalidField(
          'parallelTrialCount',
          `is ${parallelTrialCount}, more than maxTrialCount (${maxTrialCount})`,
          `Set \`parallelTrialCount\` to at most ${maxTrialCount}.`
        )
      );
    if (maxFailedTrialCount !== null && maxFailedTrialCount > maxTrialCount)
      this.report(
        tuneError.invalidField(
          'maxFailedTrialCount',
          `is ${maxFailedTrialCount}, more than maxTrialCount (${maxTrialCount})`,
          `Set \`maxFailedTrialCount\` to at most ${maxTrialCount}.`
        )
      );
    const spec: ExperimentSpec = {
      objective,
      algorithm,
      parameters,
      parallelTrialCount,
      maxTrialCount,
      maxFailedTrialCount
    };
    if (earlyStopping) spec.earlyStopping = earlyStopping;
    return spec;
  }

  /** Katib's `earlyStopping`: `{algorithmName: "medianstop", algorithmSettings: [{name, value}]}`. */
  private earlyStopping(value: unknown): EarlyStopping | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) {
      this.objectMissing(value, 'earlyStopping', 'Write it as `{"algorithmName": "medianstop"}`, or remove it.');
      return undefined;
    }
    const name = value.algorithmName;
    if (typeof name !== 'string' || !(EARLY_STOPPING_ALGORITHMS as readonly string[]).includes(name)) {
      this.report(
        name === undefined
          ? tuneError.missingField('earlyStopping.algorithmName', 'Set it to `medianstop`.')
          : tuneError.unknownAlgorithm('earlyStopping.algorithmName', String(name), EARLY_STOPPING_ALGORITHMS)
      );
      return undefined;
    }
    const settings = value.algorithmSettings ?? [];
    if (!Array.isArray(settings)) {
      this.report(
        tuneError.invalidField(
          'earlyStopping.algorithmSettings',
          'is not a list',
          'Write it as Katib does: `[{"name": "start_step", "value": "4"}]`.'
        )
      );
      return undefined;
    }
    const read: Record<string, number> = { ...MEDIAN_STOP_DEFAULTS };
    const known = Object.keys(MEDIAN_STOP_DEFAULTS);
    const written: { name: string; value: string }[] = [];
    let ok = true;
    settings.forEach((setting, i) => {
      const field = `earlyStopping.algorithmSettings[${i}]`;
      if (!this.isSettingPair(setting, field)) {
        ok = false;
        return;
      }
      if (!known.includes(setting.name)) {
        ok = false;
        this.report(tuneError.unknownSetting(`${field}.name`, setting.name, 'medianstop', known));
        return;
      }
      const number = toNumber(setting.value);
      if (number === null || !Number.isSafeInteger(number) || number < 1) {
        ok = false;
        this.report(
          tuneError.invalidField(
            `${field}.value`,
            `is ${show(setting.value)}`,
            `Give \`${setting.name}\` as a whole number of at least 1.`
          )
        );
        return;
      }
      read[setting.name] = number;
      written.push({ name: setting.name, value: String(setting.value) });
    });
    if (!ok) return undefined;
    return {
      algorithmName: 'medianstop',
      algorithmSettings: written,
      minTrialsRequired: read.min_trials_required,
      startStep: read.start_step
    };
  }

  private objective(value: unknown): ExperimentSpec['objective'] | null {
    if (!isRecord(value)) {
      this.objectMissing(
        value,
        'objective',
        'Add `"objective": {"type": "minimize", "objectiveMetricName": "<metric>"}`.'
      );
      return null;
    }
    let ok = true;
    const type = value.type;
    if (type !== 'minimize' && type !== 'maximize') {
      ok = false;
      this.report(
        type === undefined
          ? tuneError.missingField('objective.type', 'Set `objective.type` to `minimize` or `maximize`.')
          : tuneError.invalidField('objective.type', `is ${show(type)}`, 'Set it to `minimize` or `maximize`.')
      );
    }
    const name = value.objectiveMetricName;
    if (typeof name !== 'string' || name === '') {
      ok = false;
      this.report(
        name === undefined
          ? tuneError.missingField(
              'objective.objectiveMetricName',
              'Name the metric to optimize, one the metrics cell reports.'
            )
          : tuneError.invalidField('objective.objectiveMetricName', `is ${show(name)}`, 'Name a metric as a string.')
      );
    } else ok = this.knownMetric('objective.objectiveMetricName', name) && ok;
    let goal: number | null = null;
    if (value.goal !== undefined && value.goal !== null) {
      goal = toNumber(value.goal);
      if (goal === null) {
        ok = false;
        this.report(
          tuneError.invalidField(
            'objective.goal',
            `is ${show(value.goal)}, not a number`,
            'Set `goal` to a number, or remove it to use the whole budget.'
          )
        );
      }
    }
    const additional: string[] = [];
    if (value.additionalMetricNames !== undefined) {
      if (!Array.isArray(value.additionalMetricNames)) {
        ok = false;
        this.report(
          tuneError.invalidField(
            'objective.additionalMetricNames',
            'is not a list',
            'Write it as a list of metric names.'
          )
        );
      } else
        value.additionalMetricNames.forEach((metric, i) => {
          const field = `objective.additionalMetricNames[${i}]`;
          if (typeof metric !== 'string' || metric === '') {
            ok = false;
            this.report(tuneError.invalidField(field, `is ${show(metric)}`, 'Name a metric as a string.'));
          } else if (metric === name) {
            ok = false;
            this.report(
              tuneError.invalidField(
                field,
                `repeats the objective \`${metric}\``,
                'Remove it: the objective metric is always recorded.'
              )
            );
          } else if (this.knownMetric(field, metric)) additional.push(metric);
          else ok = false;
        });
    }
    return ok
      ? {
          type: type as 'minimize' | 'maximize',
          goal,
          objectiveMetricName: name as string,
          additionalMetricNames: additional
        }
      : null;
  }

  private algorithm(value: unknown): ExperimentSpec['algorithm'] | null {
    if (!isRecord(value)) {
      this.objectMissing(value, 'algorithm', 'Add `"algorithm": {"algorithmName": "tpe"}` (or `random`, `grid`).');
      return null;
    }
    const name = value.algorithmName;
    if (typeof name !== 'string' || !(ALGORITHMS as readonly string[]).includes(name)) {
      this.report(
        name === undefined
          ? tuneError.missingField(
              'algorithm.algorithmName',
              `Set it to one of ${ALGORITHMS.map(a => `\`${a}\``).join(', ')}.`
            )
          : tuneError.unknownAlgorithm('algorithm.algorithmName', String(name), ALGORITHMS)
      );
      return null;
    }
    const algorithmName = name as AlgorithmName;
    const algorithm: ExperimentSpec['algorithm'] = {
      algorithmName,
      algorithmSettings: [],
      seed: null,
      nStartupTrials: 10,
      nEiCandidates: 24
    };
    const settings = value.algorithmSettings ?? [];
    if (!Array.isArray(settings)) {
      this.report(
        tuneError.invalidField(
          'algorithm.algorithmSettings',
          'is not a list',
          'Write it as Katib does: `[{"name": "random_state", "value": "7"}]`.'
        )
      );
      return null;
    }
    let ok = true;
    const seen = new Set<string>();
    settings.forEach((setting, i) => {
      const field = `algorithm.algorithmSettings[${i}]`;
      if (!this.isSettingPair(setting, field)) {
        ok = false;
        return;
      }
      const known = SETTINGS[algorithmName];
      if (!known.includes(setting.name)) {
        ok = false;
        this.report(tuneError.unknownSetting(`${field}.name`, setting.name, algorithmName, known));
        return;
      }
      if (seen.has(setting.name)) {
        ok = false;
        this.report(
          tuneError.invalidField(`${field}.name`, `repeats \`${setting.name}\``, 'Keep one entry per setting.')
        );
        return;
      }
      seen.add(setting.name);
      const number = toNumber(setting.value);
      const min = setting.name === 'n_ei_candidates' ? 1 : 0;
      if (
        number === null ||
        !Number.isSafeInteger(number) ||
        number < min ||
        (setting.name === 'random_state' && number > 0xffffffff)
      ) {
        ok = false;
        this.report(
          tuneError.invalidField(
            `${field}.value`,
            `is ${show(setting.value)}`,
            setting.name === 'random_state'
              ? 'Give the seed as a whole number from 0 to 4294967295.'
              : `Give \`${setting.name}\` as a whole number of at least ${min}.`
          )
        );
        return;
      }
      algorithm.algorithmSettings.push({ name: setting.name, value: String(setting.value) });
      if (setting.name === 'random_state') algorithm.seed = number;
      else if (setting.name === 'n_startup_trials') algorithm.nStartupTrials = number;
      else algorithm.nEiCandidates = number;
    });
    return ok ? algorithm : null;
  }

  private parameters(value: unknown, algorithm: AlgorithmName | undefined): ParameterSpace[] | null {
    if (!Array.isArray(value) || value.length === 0) {
      this.report(
        value === undefined
          ? tuneError.missingField(
              'parameters',
              'List the parameters to tune: `[{"name": "<parameter>", "parameterType": "double", "feasibleSpace": {"min": "0.001", "max": "0.1"}}]`.'
            )
          : tuneError.invalidField(
              'parameters',
              Array.isArray(value) ? 'is empty' : 'is not a list',
              'List at least one parameter of the parameters cell to tune.'
            )
      );
      return null;
    }
    const spaces: ParameterSpace[] = [];
    const seen = new Set<string>();
    let ok = true;
    value.forEach((entry, i) => {
      const space = this.parameter(entry, `parameters[${i}]`, algorithm);
      if (!space) ok = false;
      else if (seen.has(space.name)) {
        ok = false;
        this.report(tuneError.duplicateParameter(`parameters[${i}].name`, space.name));
      } else {
        seen.add(space.name);
        spaces.push(space);
      }
    });
    return ok ? spaces : null;
  }

  private parameter(entry: unknown, field: string, algorithm: AlgorithmName | undefined): ParameterSpace | null {
    if (!isRecord(entry)) {
      this.report(
        tuneError.invalidField(field, 'is not an object', 'Write it as `{"name", "parameterType", "feasibleSpace"}`.')
      );
      return null;
    }
    const name = entry.name;
    if (typeof name !== 'string' || name === '') {
      this.report(tuneError.missingField(`${field}.name`, "Name a parameter of the notebook's parameters cell."));
      return null;
    }
    const known = this.notebook.parameters;
    const parameter = known.find(p => p.name === name);
    if (!parameter) {
      this.report(
        tuneError.unknownParameter(
          `${field}.name`,
          name,
          known.map(p => p.name)
        )
      );
      return null;
    }
    const type = entry.parameterType;
    if (typeof type !== 'string' || !(PARAMETER_TYPES as readonly string[]).includes(type)) {
      this.report(
        tuneError.invalidField(
          `${field}.parameterType`,
          type === undefined ? 'is missing' : `is ${show(type)}`,
          'Set it to `int`, `double`, `discrete` or `categorical`.'
        )
      );
      return null;
    }
    const space = entry.feasibleSpace;
    if (!isRecord(space)) {
      this.objectMissing(
        space,
        `${field}.feasibleSpace`,
        type === 'int' || type === 'double' ? 'Give `{"min": ..., "max": ...}`.' : 'Give `{"list": [...]}`.'
      );
      return null;
    }
    const at = `${field}.feasibleSpace`;
    if (type === 'categorical' || type === 'discrete') return this.listSpace(name, type, space, at, parameter);
    if (parameter.type !== 'number') {
      this.report(
        tuneError.parameterTypeMismatch(
          `${field}.parameterType`,
          name,
          type,
          parameter.type,
          'Tune it as `categorical` with a `list` of its values, or tune a number parameter.'
        )
      );
      return null;
    }
    if (space.list !== undefined) {
      this.report(
        tuneError.invalidField(
          `${at}.list`,
          `is set for an \`${type}\` parameter`,
          'Use `min`/`max` (and `step`) for int and double, or make it `discrete` with the list.'
        )
      );
      return null;
    }
    const min = this.bound(space.min, `${at}.min`);
    const max = this.bound(space.max, `${at}.max`);
    const step = space.step === undefined || space.step === '' ? null : this.bound(space.step, `${at}.step`);
    const distribution = space.distribution ?? 'uniform';
    let log = false;
    if (!(DISTRIBUTIONS as readonly unknown[]).includes(distribution)) {
      this.report(
        tuneError.invalidField(
          `${at}.distribution`,
          `is ${show(distribution)}`,
          'Use `uniform` (the default) or `logUniform`.'
        )
      );
      return null;
    } else log = distribution === 'logUniform';
    if (min === null || max === null || (space.step !== undefined && space.step !== '' && step === null)) return null;
    if (min > max) {
      this.report(tuneError.emptySpace(at, `min (${min}) is above max (${max})`, 'Swap `min` and `max`.'));
      return null;
    }
    if (step !== null && step <= 0) {
      this.report(tuneError.invalidField(`${at}.step`, `is ${step}`, 'Give a step above 0, or remove it.'));
      return null;
    }
    if (log && min <= 0) {
      this.report(
        tuneError.invalidField(
          `${at}.min`,
          `is ${min}, and a logUniform range must be above 0`,
          'Set `min` above 0, or use `distribution: uniform`.'
        )
      );
      return null;
    }
    if (type === 'int') {
      for (const [key, v] of [
        ['min', min],
        ['max', max],
        ['step', step]
      ] as const)
        if (v !== null && !Number.isInteger(v)) {
          this.report(
            tuneError.invalidField(
              `${at}.${key}`,
              `is ${v}, not a whole number`,
              'Use whole numbers for an `int` parameter, or make it `double`.'
            )
          );
          return null;
        }
      if (log && step !== null && step !== 1) {
        this.report(
          tuneError.invalidField(
            `${at}.step`,
            `is ${step} with logUniform`,
            'Remove `step` (a logUniform int steps by 1), or use `distribution: uniform`.'
          )
        );
        return null;
      }
      if (algorithm === 'grid' && log) {
        this.report(
          tuneError.invalidField(
            `${at}.distribution`,
            'is logUniform in a grid search',
            "List the grid's values as a `discrete` parameter instead."
          )
        );
        return null;
      }
      return { name, parameterType: 'int', min, max: lastOnGrid(min, max, step ?? 1), step: step ?? 1, log };
    }
    if (log && step !== null) {
      this.report(
        tuneError.invalidField(
          `${at}.step`,
          'is set with logUniform',
          'Remove `step`, or use `distribution: uniform`; for chosen values use a `discrete` list.'
        )
      );
      return null;
    }
    if (algorithm === 'grid' && (log || step === null)) {
      this.report(
        log
          ? tuneError.invalidField(
              `${at}.distribution`,
              'is logUniform in a grid search',
              "List the grid's values as a `discrete` parameter instead."
            )
          : tuneError.missingField(
              `${at}.step`,
              'A grid search over a `double` needs a `step` (the values are min, min+step, ... up to max).'
            )
      );
      return null;
    }
    return { name, parameterType: 'double', min, max: lastOnGrid(min, max, step), step, log };
  }

  private listSpace(
    name: string,
    type: 'discrete' | 'categorical',
    space: Record<string, unknown>,
    at: string,
    parameter: Parameter
  ): ParameterSpace | null {
    for (const key of ['min', 'max', 'step'])
      if (space[key] !== undefined) {
        this.report(
          tuneError.invalidField(
            `${at}.${key}`,
            `is set for a \`${type}\` parameter`,
            'Give its values in `list` only, or make it `int`/`double`.'
          )
        );
        return null;
      }
    if (!Array.isArray(space.list) || space.list.length === 0) {
      this.report(
        tuneError.emptySpace(
          `${at}.list`,
          space.list === undefined ? 'it is missing' : Array.isArray(space.list) ? 'it is empty' : 'it is not a list',
          'List the values to try.'
        )
      );
      return null;
    }
    if (type === 'discrete' && parameter.type !== 'number') {
      this.report(
        tuneError.parameterTypeMismatch(
          `${at}.list`,
          name,
          type,
          parameter.type,
          'Make it `categorical`: `discrete` lists numbers.'
        )
      );
      return null;
    }
    const values: ParameterValue[] = [];
    let ok = true;
    space.list.forEach((item, i) => {
      const value = toNotebookValue(item, parameter.type);
      if (value === null) {
        ok = false;
        this.report(
          tuneError.parameterTypeMismatch(
            `${at}.list[${i}]`,
            name,
            `${show(item)}`,
            parameter.type,
            `List ${parameter.type === 'boolean' ? '`"true"` and `"false"`' : `${parameter.type}s`} only, as the parameters cell gives \`${name}\`.`
          )
        );
      } else if (values.some(v => v === value)) {
        ok = false;
        this.report(tuneError.invalidField(`${at}.list[${i}]`, `repeats ${show(item)}`, 'List each value once.'));
      } else values.push(value);
    });
    return ok ? { name, parameterType: type, list: values } : null;
  }

  private bound(value: unknown, field: string): number | null {
    const number = toNumber(value);
    if (number === null)
      this.report(
        value === undefined
          ? tuneError.missingField(field, 'Give it as a number (Katib writes it as a string, e.g. `"0.01"`).')
          : tuneError.invalidField(field, `is ${show(value)}, not a number`, 'Give it as a number, e.g. `"0.01"`.')
      );
    return number;
  }

  private count(value: unknown, field: string, min: number): number | null {
    if (value === undefined || value === null) return null;
    const number = toNumber(value);
    if (number === null || !Number.isSafeInteger(number) || number < min) {
      this.report(tuneError.invalidField(field, `is ${show(value)}`, `Give a whole number of at least ${min}.`));
      return null;
    }
    return number;
  }

  private knownMetric(field: string, name: string): boolean {
    const metrics = this.notebook.metrics;
    if (!metrics || metrics.some(m => m.name === name)) return true;
    this.report(
      tuneError.unknownMetric(
        field,
        name,
        metrics.map(m => m.name)
      )
    );
    return false;
  }

  private objectMissing(value: unknown, field: string, fix: string): void {
    this.report(
      value === undefined ? tuneError.missingField(field, fix) : tuneError.invalidField(field, 'is not an object', fix)
    );
  }

  /** Katib's `{name, value}` setting shape (string or number value); reports the field when it is not one. */
  private isSettingPair(setting: unknown, field: string): setting is { name: string; value: string | number } {
    if (
      isRecord(setting) &&
      typeof setting.name === 'string' &&
      (typeof setting.value === 'string' || typeof setting.value === 'number')
    )
      return true;
    this.report(
      tuneError.invalidField(
        field,
        'is not a `{name, value}` pair',
        'Write each setting as `{"name": "<setting>", "value": "<value>"}`.'
      )
    );
    return false;
  }

  private report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A list entry as the parameters cell types the parameter: Katib writes every entry as a string. */
function toNotebookValue(item: unknown, type: Parameter['type']): ParameterValue | null {
  if (type === 'string') return typeof item === 'string' ? item : null;
  if (type === 'boolean') {
    if (typeof item === 'boolean') return item;
    return item === 'true' ? true : item === 'false' ? false : null;
  }
  return toNumber(item);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : `\`${JSON.stringify(value)}\``;
}
