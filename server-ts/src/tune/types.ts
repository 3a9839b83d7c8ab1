/**
 * The experiment as the tuner uses it: Katib's spec (`katib_metadata`) read, checked and with
 * its strings turned into numbers and notebook values. Plain JSON data.
 */
import type { ParameterValue } from '../ir.js';

export type ObjectiveType = 'minimize' | 'maximize';

export interface Objective {
  type: ObjectiveType;
  /** Stop the experiment once a trial reaches it; null: run the whole budget. */
  goal: number | null;
  objectiveMetricName: string;
  additionalMetricNames: string[];
}

export const ALGORITHMS = ['random', 'grid', 'tpe', 'multivariate-tpe'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

export interface Algorithm {
  algorithmName: AlgorithmName;
  /** Katib's `name`/`value` list as it was written, for a Katib Experiment made from the same spec. */
  algorithmSettings: { name: string; value: string }[];
  /** `random_state`: the seed that makes the experiment repeatable; null when the spec sets none. */
  seed: number | null;
  /** TPE only (Optuna's names and defaults). */
  nStartupTrials: number;
  nEiCandidates: number;
}

/** One tuned parameter. Numbers are in the notebook's units; `log` is Katib's `distribution: logUniform`. */
export type NumericSpace =
  | { name: string; parameterType: 'int'; min: number; max: number; step: number; log: boolean }
  | { name: string; parameterType: 'double'; min: number; max: number; step: number | null; log: boolean };
/** `discrete` (numbers) and `categorical` (any notebook value): one of `list`. */
export interface ListSpace {
  name: string;
  parameterType: 'discrete' | 'categorical';
  list: ParameterValue[];
}
export type ParameterSpace = NumericSpace | ListSpace;

/** The largest value on a stepped range's grid (Optuna lowers `high` onto it the same way). */
export function lastOnGrid(min: number, max: number, step: number | null): number {
  if (step === null) return max;
  const last = min + Math.floor((max - min) / step + 1e-9) * step;
  return Number.isInteger(step) && Number.isInteger(min) ? last : Number(last.toPrecision(12));
}

export function isListSpace(p: ParameterSpace): p is ListSpace {
  return p.parameterType === 'discrete' || p.parameterType === 'categorical';
}

export interface ExperimentSpec {
  objective: Objective;
  algorithm: Algorithm;
  parameters: ParameterSpace[];
  parallelTrialCount: number;
  /** For grid, at most the grid's size. */
  maxTrialCount: number;
  /** null: failures stop nothing but the budget. */
  maxFailedTrialCount: number | null;
  /** Katib's `earlyStopping`; absent: every trial runs to its end. */
  earlyStopping?: EarlyStopping;
}

export const EARLY_STOPPING_ALGORITHMS = ['medianstop'] as const;

/** Katib's `earlyStopping` with its settings read (Katib's names and defaults: 3 and 4). */
export interface EarlyStopping {
  algorithmName: (typeof EARLY_STOPPING_ALGORITHMS)[number];
  /** As written, for a Katib Experiment made from the same spec. */
  algorithmSettings: { name: string; value: string }[];
  /** `min_trials_required`: succeeded trials needed before any trial is compared with their median. */
  minTrialsRequired: number;
  /** `start_step`: reports of the objective a trial makes before it may be stopped. */
  startStep: number;
}

/** The values of the tuned parameters for one trial. */
export type Assignment = Record<string, ParameterValue>;

/** A trial as a sampler sees it: what it tried and, once it completed, the objective. */
export interface TrialObservation {
  assignment: Assignment;
  state: 'running' | 'completed' | 'failed';
  /** The objective metric; set when completed (an early-stopped trial: its last reported value). */
  value: number | null;
}

/**
 * A search algorithm. `suggest` is a function of the seed, the space and the history alone (the
 * n-th suggestion draws from the n-th stream of the seed), so a resumed experiment suggests what
 * the uninterrupted one would have. Null: nothing is left to try (grid).
 */
export interface Sampler {
  suggest(history: readonly TrialObservation[]): Assignment | null;
}
