/**
 * An experiment's loop: trials are runs through the `Engine` interface, `parallelTrialCount` at a
 * time, each run's steps sharing the cores (`concurrency` split between the trials in flight), until
 * the goal, the budget (`maxTrialCount` trials), too many failures (more than `maxFailedTrialCount`)
 * or an exhausted grid. The record is saved after every change, a trial before its run is submitted,
 * so an experiment stopped anywhere resumes from its record: a trial whose run finished is taken as it
 * ended, one whose run was interrupted (or never started) runs again with the same values, and no
 * trial is suggested twice.
 */
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { CompiledNotebook } from '../compile/index.js';
import type { ParameterValue } from '../ir.js';
import type { Engine, RunRecord } from '../engine/types.js';
import { createSampler } from './samplers/index.js';
import type { Assignment, ExperimentSpec, TrialObservation } from './types.js';

export type TrialStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrialRecord {
  /** 0-based, in the order trials were suggested. */
  number: number;
  assignment: Assignment;
  status: TrialStatus;
  /** The run, once submitted. */
  runId: string | null;
  /** The objective metric of a succeeded trial. */
  objective: number | null;
  metrics: Record<string, number>;
  /** Why a failed trial failed, for people. */
  error?: string;
}

export type ExperimentStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StopReason = 'goal-reached' | 'max-trials' | 'too-many-failures' | 'space-exhausted' | 'cancelled';

export interface ExperimentRecord {
  version: 1;
  id: string;
  notebookPath: string;
  spec: ExperimentSpec;
  /** The spec's `random_state`, or the seed drawn for it, so the experiment can be repeated. */
  seed: number;
  status: ExperimentStatus;
  reason?: StopReason;
  trials: TrialRecord[];
  /** The number of the best succeeded trial. */
  bestTrial: number | null;
}

export interface ExperimentStore {
  save(record: ExperimentRecord): void;
}

export interface ExperimentDeps {
  engine: Engine;
  compiled: CompiledNotebook;
  /** Parameter values every trial starts from (the notebook's, or `--param` overrides); trials override the tuned ones. */
  baseParameters: Record<string, ParameterValue>;
  store: ExperimentStore;
  /** Steps that may run at once on this machine, all trials together. */
  concurrency: number;
  signal?: AbortSignal;
  onChange?: (record: ExperimentRecord) => void;
}

export function newExperiment(id: string, notebookPath: string, spec: ExperimentSpec, seed: number): ExperimentRecord {
  return {
    version: 1,
    id,
    notebookPath,
    spec,
    seed: spec.algorithm.seed ?? seed,
    status: 'running',
    trials: [],
    bestTrial: null
  };
}

/** Runs (or resumes) the experiment to its end; resolves with the final record. */
export async function runExperiment(record: ExperimentRecord, deps: ExperimentDeps): Promise<ExperimentRecord> {
  const { spec } = record;
  const sampler = createSampler(spec, record.seed);
  const inFlight = new Map<number, Promise<void>>();
  const runIds = new Set<string>();
  const save = () => {
    record.bestTrial = bestTrial(record);
    deps.store.save(record);
    deps.onChange?.(record);
  };
  const perTrial = Math.max(1, Math.floor(deps.concurrency / spec.parallelTrialCount));
  record.status = 'running';
  delete record.reason;

  const launch = (trial: TrialRecord) => {
    const done = (async () => {
      try {
        const handle = await deps.engine.submit(deps.compiled, {
          parameters: { ...deps.baseParameters, ...trial.assignment },
          concurrency: perTrial
        });
        trial.runId = handle.id;
        runIds.add(handle.id);
        save();
        // Cancelled while the run was being submitted: the abort handler could not see it yet.
        if (deps.signal?.aborted) await deps.engine.cancel(handle.id);
        settle(trial, await handle.done, spec);
        runIds.delete(handle.id);
      } catch (error) {
        trial.status = 'failed';
        trial.error = error instanceof CellflowError ? error.diagnostic.message : String(error);
      }
      save();
    })().finally(() => inFlight.delete(trial.number));
    inFlight.set(trial.number, done);
  };

  const onAbort = () => void Promise.all([...runIds].map(id => deps.engine.cancel(id)));
  deps.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // Resume: take what finished while we were gone; run again what did not.
    for (const trial of record.trials) {
      if (trial.status !== 'running' && trial.status !== 'cancelled') continue;
      const finished = trial.runId ? await finishedRun(deps.engine, trial.runId) : null;
      if (finished) settle(trial, finished, spec);
      else {
        trial.status = 'running';
        trial.runId = null;
      }
    }
    save();
    for (const trial of record.trials) if (trial.status === 'running' && !deps.signal?.aborted) launch(trial);

    for (;;) {
      const stop = deps.signal?.aborted ? 'cancelled' : stopReason(record);
      while (!stop && inFlight.size < spec.parallelTrialCount && record.trials.length < spec.maxTrialCount) {
        const assignment = sampler.suggest(record.trials.map(observation));
        if (assignment === null) break;
        const trial: TrialRecord = {
          number: record.trials.length,
          assignment,
          status: 'running',
          runId: null,
          objective: null,
          metrics: {}
        };
        record.trials.push(trial);
        save();
        launch(trial);
      }
      if (inFlight.size === 0) {
        record.reason = stop ?? (record.trials.length >= spec.maxTrialCount ? 'max-trials' : 'space-exhausted');
        break;
      }
      await Promise.race(inFlight.values());
    }
  } finally {
    deps.signal?.removeEventListener('abort', onAbort);
  }
  record.status =
    record.reason === 'cancelled' ? 'cancelled' : record.reason === 'too-many-failures' ? 'failed' : 'succeeded';
  save();
  return record;
}

/** Why no further trial starts, once one of Katib's end conditions holds. */
export function stopReason(record: ExperimentRecord): StopReason | null {
  const { spec } = record;
  const best = bestTrial(record);
  const goal = spec.objective.goal;
  if (best !== null && goal !== null) {
    const value = record.trials[best].objective as number;
    if (spec.objective.type === 'minimize' ? value <= goal : value >= goal) return 'goal-reached';
  }
  const failed = record.trials.filter(t => t.status === 'failed').length;
  if (spec.maxFailedTrialCount !== null && failed > spec.maxFailedTrialCount) return 'too-many-failures';
  return null;
}

/** The best succeeded trial (the first of equals), or null. */
export function bestTrial(record: ExperimentRecord): number | null {
  const sign = record.spec.objective.type === 'minimize' ? 1 : -1;
  let best: TrialRecord | null = null;
  for (const t of record.trials)
    if (
      t.status === 'succeeded' &&
      t.objective !== null &&
      (best === null || sign * (t.objective - (best.objective as number)) < 0)
    )
      best = t;
  return best?.number ?? null;
}

function observation(trial: TrialRecord): TrialObservation {
  const state = trial.status === 'succeeded' ? 'completed' : trial.status === 'failed' ? 'failed' : 'running';
  return { assignment: trial.assignment, state, value: trial.objective };
}

function settle(trial: TrialRecord, run: RunRecord, spec: ExperimentSpec): void {
  trial.runId = run.id;
  trial.metrics = run.metrics;
  const objective = run.metrics[spec.objective.objectiveMetricName];
  if (run.status === 'cancelled') trial.status = 'cancelled';
  else if (run.status !== 'succeeded') {
    trial.status = 'failed';
    const failedStep = run.stepOrder.find(s => run.steps[s].status === 'failed');
    trial.error = run.error?.message ?? (failedStep ? `step \`${failedStep}\` failed` : `the run ${run.status}`);
  } else if (typeof objective !== 'number' || !Number.isFinite(objective)) {
    trial.status = 'failed';
    trial.error = `the run reported no value for the objective \`${spec.objective.objectiveMetricName}\``;
  } else {
    trial.status = 'succeeded';
    trial.objective = objective;
  }
}

/** The run's final record when it ended; null when it is unknown or was interrupted (so the trial runs again). */
async function finishedRun(engine: Engine, runId: string): Promise<RunRecord | null> {
  try {
    const view = await engine.get(runId);
    if (view.interrupted) return null;
    if (view.status === 'running') {
      // Still running under another owner: wait for it rather than run the trial twice.
      for await (const { event } of engine.events(runId)) if (event.type === 'run-finished') return event.record;
      return null;
    }
    return view.status === 'cancelled' ? null : view;
  } catch {
    return null;
  }
}
