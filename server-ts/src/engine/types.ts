/**
 * One interface for every engine: submit a compiled pipeline with parameter
 * values, follow its events, cancel it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ParameterValue } from '../ir.js';
import type { StepFailure, UnplannedWrite } from '../runtime/step-context.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepRecord {
  status: StepStatus;
  cached: boolean;
  attempts: number;
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
}

export type RunEvent =
  | { type: 'step-started'; step: string; attempt: number }
  | { type: 'step-log'; step: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'step-metric'; step: string; name: string; value: number }
  | { type: 'step-finished'; step: string; record: StepRecord }
  | { type: 'run-finished'; record: RunRecord };
