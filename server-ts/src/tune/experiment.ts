/**
 * An experiment's loop: trials are runs through the `Engine` interface, `parallelTrialCount` at a
 * time, each run's steps sharing the cores (`concurrency` split between the trials in flight), until
 * the goal, the budget (`maxTrialCount` trials), too many failures (more than `maxFailedTrialCount`)
 * or an exhausted grid. The record is saved after every change, a trial before its run is submitted,
 * so an experiment stopped anywhere resumes from its record: a trial whose run finished is taken as it
 * ended, one whose run was interrupted (or never started) runs again with the same values, and no
 * trial is suggested twice. With Katib's `medianstop` a trial whose reports of the objective (the run's metric
 * events, one per `name=value` line a step prints, e.g. per epoch) fall behind the median is stopped early; once
 * the goal is reached the trials still running are cancelled and recorded so, never to run again.
 */
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { CompiledNotebook } from '../compile/index.js';
import type { ParameterValue } from '../ir.js';
import type { Engine, RunRecord } from '../engine/types.js';
import { medianStop } from './median-stop.js';
import { createSampler } from './samplers/index.js';
import type { Assignment, ExperimentSpec, TrialObservation } from './types.js';

/**
 * `early-stopped`: stopped by the median rule (Katib's `EarlyStopped`), its last reported value its objective; not a
 * failure. `cancelled-by-goal`: still running when another trial reached the goal; never resumed. `cancelled`: the
 * experiment was cancelled; the trial runs again on resume.
 */
export type TrialStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'early-stopped' | 'cancelled-by-goal';

/** A snapshot a trial's run made, so `cellflow gc` keeps it while the experiment exists (it reads `snapshot` fields). */
export interface TrialSnapshot {
  /** `run`: the workspace before the run; `step`: a step's folder after it; `step-workspace`: the workspace then. */
  of: 'run' | 'step' | 'step-workspace';
  step?: string;
  snapshot: string;
}

/** Why the median rule stopped a trial. */
export interface EarlyStop {
  /** The report count at which it was stopped. */
  step: number;
  /** Its best value up to then. */
  best: number;
  /** The succeeded trials' median running average up to then. */
  median: number;
}

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
  /** The objective's values as the run reported them (its metric events), in order: the rule's steps. */
  intermediate?: number[];
  /** Set before its run is cancelled by the rule or the goal, so a resumed experiment settles it so too. */
  stoppedBy?: 'median-stop' | 'goal';
  earlyStop?: EarlyStop;
  /** The run's snapshots, when the engine took them. */
  snapshots?: TrialSnapshot[];
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
  /**
   * The parameter values every trial started from (the notebook's, with `--param` / the API's overrides), so a
   * resumed experiment runs its remaining trials from the same ones; absent in older records.
   */
  baseParameters?: Record<string, ParameterValue>;
  /** ISO times; absent in records written before they were kept (the id, a ULID, holds the start). */
  startedAt?: string;
  finishedAt?: string;
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
  /** false: every trial runs every step (the bench's baseline); the step cache is used otherwise. */
  useCache?: boolean;
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
    bestTrial: null,
    startedAt: new Date().toISOString()
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
  delete record.finishedAt;
  const objectiveName = spec.objective.objectiveMetricName;
  /** The trials in flight with a run, by trial number. */
  const running = new Map<number, string>();

  // Katib stops the trials still running once the goal is reached; they are recorded so and never resumed.
  const cancelForGoal = () => {
    if (stopReason(record) !== 'goal-reached') return;
    for (const [number, runId] of running) {
      const trial = record.trials[number];
      if (trial.stoppedBy) continue;
      trial.stoppedBy = 'goal';
      void deps.engine.cancel(runId);
    }
  };

  /** Follows the run's reports of the objective; stops the trial when the median rule says so. */
  const watch = async (trial: TrialRecord, runId: string) => {
    trial.intermediate = [];
    try {
      for await (const { event } of deps.engine.events(runId)) {
        if (event.type !== 'step-metric' || event.name !== objectiveName) continue;
        trial.intermediate.push(event.value);
        const verdict =
          spec.earlyStopping && !trial.stoppedBy
            ? medianStop(
                spec.earlyStopping,
                spec.objective.type,
                record.trials.filter(t => t.status === 'succeeded').map(t => t.intermediate ?? []),
                trial.intermediate
              )
            : null;
        if (verdict?.stop) {
          trial.stoppedBy = 'median-stop';
          trial.earlyStop = { step: verdict.step, best: verdict.best, median: verdict.median };
          save();
          await deps.engine.cancel(runId);
        } else deps.onChange?.(record);
      }
    } catch {
      // The reports only feed the rule and the table; the run's end is what settles the trial.
    }
  };

  const launch = (trial: TrialRecord) => {
    const done = (async () => {
      try {
        const handle = await deps.engine.submit(deps.compiled, {
          parameters: { ...deps.baseParameters, ...trial.assignment },
          concurrency: perTrial,
          ...(deps.useCache === false ? { useCache: false } : {})
        });
        trial.runId = handle.id;
        runIds.add(handle.id);
        running.set(trial.number, handle.id);
        save();
        const watching = watch(trial, handle.id);
        // Cancelled while the run was being submitted: the abort handler could not see it yet.
        if (deps.signal?.aborted) await deps.engine.cancel(handle.id);
        cancelForGoal();
        const final = await handle.done;
        await watching;
        running.delete(trial.number);
        settle(trial, final, spec);
        runIds.delete(handle.id);
        cancelForGoal();
      } catch (error) {
        running.delete(trial.number);
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
      const finished = trial.runId ? await finishedRun(deps.engine, trial.runId, trial.stoppedBy !== undefined) : null;
      if (finished) {
        if (trial.intermediate === undefined)
          trial.intermediate = await reports(deps.engine, finished.id, objectiveName);
        settle(trial, finished, spec);
      } else {
        trial.status = 'running';
        trial.runId = null;
        delete trial.stoppedBy;
        delete trial.earlyStop;
        delete trial.intermediate;
      }
    }
    // Reached before the stop: what was left running is not run again.
    if (stopReason(record) === 'goal-reached')
      for (const trial of record.trials) if (trial.status === 'running') trial.status = 'cancelled-by-goal';
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
  record.finishedAt = new Date().toISOString();
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

/**
 * What the sampler sees. An early-stopped trial counts as completed with its last reported value, as Katib hands
 * an EarlyStopped trial's last observation to its suggestion service (Optuna would prune it instead); its value is
 * worse than the median, so TPE puts it among the bad trials. A trial cancelled by the goal tells nothing.
 */
function observation(trial: TrialRecord): TrialObservation {
  const state =
    trial.status === 'succeeded' || trial.status === 'early-stopped'
      ? 'completed'
      : trial.status === 'running'
        ? 'running'
        : trial.status === 'cancelled'
          ? 'running'
          : 'failed';
  return { assignment: trial.assignment, state, value: trial.objective };
}

function settle(trial: TrialRecord, run: RunRecord, spec: ExperimentSpec): void {
  trial.runId = run.id;
  trial.metrics = run.metrics;
  // A run that ended before the tuner's cancel reached it ended on its own.
  if (run.status !== 'cancelled') {
    delete trial.stoppedBy;
    delete trial.earlyStop;
  }
  trial.snapshots = runSnapshots(run);
  if (trial.snapshots.length === 0) delete trial.snapshots;
  const objective = run.metrics[spec.objective.objectiveMetricName];
  const last = trial.intermediate?.at(-1);
  if (run.status === 'cancelled' && trial.stoppedBy === 'median-stop' && last !== undefined) {
    trial.status = 'early-stopped';
    trial.objective = last;
  } else if (run.status === 'cancelled' && trial.stoppedBy === 'goal') trial.status = 'cancelled-by-goal';
  else if (run.status === 'cancelled') trial.status = 'cancelled';
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

/** The snapshots the run's record names: the workspace before it and, where the engine takes them, each step's. */
function runSnapshots(run: RunRecord): TrialSnapshot[] {
  const found: TrialSnapshot[] = [];
  if (run.snapshot) found.push({ of: 'run', snapshot: run.snapshot });
  for (const step of run.stepOrder) {
    // Read loosely: the per-step snapshot fields come with the frozen-workspace engine.
    const s = run.steps[step] as { snapshot?: unknown; workspaceSnapshot?: unknown } | undefined;
    if (typeof s?.snapshot === 'string') found.push({ of: 'step', step, snapshot: s.snapshot });
    if (typeof s?.workspaceSnapshot === 'string')
      found.push({ of: 'step-workspace', step, snapshot: s.workspaceSnapshot });
  }
  return found;
}

/** The objective's reports in a finished run's event log (a trial resumed after its run ended unwatched). */
async function reports(engine: Engine, runId: string, name: string): Promise<number[]> {
  const values: number[] = [];
  try {
    for await (const { event } of engine.events(runId))
      if (event.type === 'step-metric' && event.name === name) values.push(event.value);
  } catch {
    // No log: the trial keeps its final metrics only.
  }
  return values;
}

/**
 * The run's final record when it ended; null when it is unknown or was interrupted (so the trial runs again). A
 * cancelled run counts as ended when the tuner itself stopped it (`stopped`: the median rule or the goal).
 */
async function finishedRun(engine: Engine, runId: string, stopped = false): Promise<RunRecord | null> {
  try {
    const view = await engine.get(runId);
    if (view.interrupted) return null;
    if (view.status === 'running') {
      // Still running under another owner: wait for it rather than run the trial twice.
      for await (const { event } of engine.events(runId)) if (event.type === 'run-finished') return event.record;
      return null;
    }
    return view.status === 'cancelled' && !stopped ? null : view;
  } catch {
    return null;
  }
}
