/**
 * One interface for every engine: submit a compiled pipeline with parameter
 * values, follow its events, cancel it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ParameterValue } from '../ir.js';
import type { StepFailure, UnplannedWrite } from '../runtime/step-context.js';
import type { CompiledNotebook } from '../compile/index.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepRecord {
  status: StepStatus;
  cached: boolean;
  attempts: number;
  /** The steps this one runs after (its dependencies in the plan it was submitted with); absent in older records. */
  after?: string[];
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
  exitCode?: number | null;
  cacheKey?: string;
  /** Where the step's outputs live: its own folder, or the cache entry it came from. */
  outputsDir?: string;
  error?: StepFailure;
  /** Why the step was skipped or cancelled. */
  reason?: string;
  /** Values it saved: planned outs, unplanned writes and their group mates. */
  saved?: string[];
  /** Loaded values it changed although the plan did not list them: saved and handed on all the same. */
  unplannedWrites?: UnplannedWrite[];
  /** Where each value it loaded came from (the nearest upstream step that saved it). */
  inputsFrom?: Record<string, string>;
  /**
   * After the step ended (a cache hit too, once its files are copied in): a snapshot, in the workspace's store, of
   * the step's whole folder in the run (outputs, artifacts, metrics, result.json, state/, the workspace files it wrote).
   */
  snapshot?: string;
  /** After the step ended: a snapshot of the run's frozen workspace copy (the run's snapshot plus what steps wrote). */
  workspaceSnapshot?: string;
  /** In a partial run, a step taken from an earlier result with its current cache key: the cache, or a past run. */
  reusedFrom?: ReusedFrom;
}

/** Where a partial run took a step's result from (always one made under the step's current cache key). */
export type ReusedFrom = { source: 'cache' } | { source: 'run'; runId: string };

/** A partial run: just these steps (`only`), or this step and everything downstream of it (`from`). */
export interface StepSelectionRequest {
  only?: string[];
  from?: string;
}

/** One display of a step, as a file of the run. */
export interface DisplayArtifact {
  step: string;
  /** The notebook cell that displayed it. */
  cellIndex: number | null;
  mimeType: string;
  /** The file, relative to the run folder. */
  path: string;
}

export interface RunRecord {
  version: 1;
  id: string;
  notebookPath: string;
  status: RunStatus;
  /** The engine process: a `running` record whose engine is gone was interrupted. */
  pid: number;
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  parameters: Record<string, ParameterValue>;
  stepOrder: string[];
  steps: Record<string, StepRecord>;
  metrics: Record<string, number>;
  /** Artifact files, relative to the run folder. */
  artifacts: string[];
  /** What steps displayed (tslab.display, $$, Deno.jupyter.display, a cell's result), each with its cell. */
  displays: DisplayArtifact[];
  /** Why the run stopped when no step's own failure says it (its files could not be written). */
  error?: Diagnostic;
  /** What a partial run was asked to run; absent for a whole run. */
  selection?: StepSelectionRequest;
  /** The workspace snapshot taken before the run started (`cellflow snapshots`); `gc` keeps it while the record exists. */
  snapshot?: string;
  /** The workspace files' part of every step's cache key (`workspace-key.ts`), when the run worked from a snapshot. */
  workspaceKey?: string;
}

export type RunEvent =
  | { type: 'step-started'; step: string; attempt: number }
  | { type: 'step-log'; step: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'step-metric'; step: string; name: string; value: number }
  | { type: 'step-finished'; step: string; record: StepRecord }
  | { type: 'run-finished'; record: RunRecord };

/** A run event with its place in the run's event log: `seq` counts from 1, with no gaps. */
export interface SequencedRunEvent {
  runId: string;
  seq: number;
  event: RunEvent;
}

/** What a run is submitted with, beyond the compiled pipeline. */
export interface SubmitOptions {
  parameters: Record<string, ParameterValue>;
  /** false: run every step (results are still stored in the cache). */
  useCache?: boolean;
  /** How many steps may run at once. */
  concurrency?: number;
  /**
   * Run just these steps. Every step they need must come from a result made under its current cache key (the
   * cache, or a past run whose outputs are still there), else `submit` refuses with `upstream-result-missing`.
   */
  only?: string[];
  /** Run this step and everything downstream of it; the steps they need come from earlier results, as for `only`. */
  from?: string;
}

/** A submitted run, as its submitter holds it. */
export interface RunHandle {
  readonly id: string;
  /** Resolves with the final record once every step has stopped. */
  readonly done: Promise<RunRecord>;
}

/**
 * A run record as read back: `interrupted` when it says `running` but no engine owns it any more; `dir`, the
 * run's folder, when its files are on this machine (the local engine), so artifact paths can be shown whole.
 */
export type RunView = RunRecord & { interrupted?: boolean; dir?: string };

/** What a step printed, whole (empty when it printed nothing or never ran). */
export interface StepLogs {
  stdout: string;
  stderr: string;
}

/** A file of the run (an artifact or a display), with its MIME type when the step said it. */
export interface RunFile {
  bytes: Uint8Array;
  mimeType?: string;
}

/**
 * The one interface the CLI, the HTTP API and the tuner use. The local engine is its first
 * implementation; the Kubernetes engine (Argo Workflows) will be the second.
 */
export interface Engine {
  readonly kind: 'local' | 'kubernetes';
  /** Starts a run of a compiled notebook. Fails with a coded diagnostic when it cannot be started. */
  submit(compiled: CompiledNotebook, options: SubmitOptions): Promise<RunHandle>;
  /** The run's record; a coded `unknown-run` diagnostic when there is none. */
  get(runId: string): Promise<RunView>;
  /** Runs, newest first; only one notebook's when `notebookPath` is given. */
  list(filter?: { notebookPath?: string }): Promise<RunView[]>;
  /**
   * Asks the run's owner to stop it; a no-op for a finished run. Resolves once the request is delivered; a run no
   * engine owns any more (interrupted) is recorded as cancelled at once.
   */
  cancel(runId: string): Promise<void>;
  /** A step's logs; `unknown-step` when the run has no such step. */
  logs(runId: string, step: string): Promise<StepLogs>;
  /** One file the run lists (`RunRecord.artifacts`, a display's `path`); `unknown-artifact` for any other path. */
  artifact(runId: string, path: string): Promise<RunFile>;
  /**
   * The run's events after `afterSeq` (0: from the start), replayed from its log and then followed live,
   * ending after `run-finished` or when `signal` aborts. A late subscriber or a reconnecting client misses nothing.
   */
  events(runId: string, afterSeq?: number, signal?: AbortSignal): AsyncIterable<SequencedRunEvent>;
}
