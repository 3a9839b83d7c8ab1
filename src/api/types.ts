/**
 * The HTTP API's run shapes, as the backend answers them (server-ts/src/engine/types.ts and the API contract).
 * Declared once here until `src/api/schema.d.ts` is generated from the server's OpenAPI document; then this file
 * re-exports from it and nothing else changes.
 */
import type { Diagnostic, ParameterValue } from '../ir';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

/** Why a step failed, placed at the notebook cell and line that threw. */
export type StepFailure = {
  kind: 'exception' | 'marshal' | 'plan-check';
  code?: string;
  hint?: string;
  message: string;
  cellIndex: number | null;
  line: number | null;
  column: number | null;
  stack: string;
};

export type StepRecord = {
  status: StepStatus;
  cached: boolean;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  seconds?: number;
  exitCode?: number | null;
  cacheKey?: string;
  outputsDir?: string;
  error?: StepFailure;
  reason?: string;
  saved?: string[];
  inputsFrom?: Record<string, string>;
};

/** One display of a step, as a file of the run. */
export type DisplayArtifact = {
  step: string;
  cellIndex: number | null;
  mimeType: string;
  /** Relative to the run folder; fetched from `runs/:id/artifacts/<path>`. */
  path: string;
};

export type RunRecord = {
  version: 1;
  id: string;
  notebookPath: string;
  status: RunStatus;
  pid: number;
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  parameters: Record<string, ParameterValue>;
  stepOrder: string[];
  steps: Record<string, StepRecord>;
  metrics: Record<string, number>;
  artifacts: string[];
  displays: DisplayArtifact[];
  error?: Diagnostic;
};

/** A record as read back: `interrupted` when no engine owns a `running` record any more. */
export type RunView = RunRecord & { interrupted?: boolean; dir?: string };

export type RunEvent =
  | { type: 'step-started'; step: string; attempt: number }
  | { type: 'step-log'; step: string; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'step-metric'; step: string; name: string; value: number }
  | { type: 'step-finished'; step: string; record: StepRecord }
  | { type: 'run-finished'; record: RunRecord };

/** A run event with its place in the run's event log: `seq` counts from 1, with no gaps. */
export type SequencedRunEvent = {
  runId: string;
  seq: number;
  event: RunEvent;
};

export type StepLogs = { stdout: string; stderr: string };

/** `POST runs` body. */
export type CreateRunRequest = {
  path: string;
  parameters?: Record<string, ParameterValue>;
  useCache?: boolean;
  concurrency?: number;
  /** Run just these steps; the rest come from the cache or a past run. */
  only?: string[];
  /** Run this step and everything downstream of it. */
  from?: string;
};

/** `GET runs?path=` answer, newest first. */
export type RunList = { runs: RunView[] };

/** `POST compile` body and answer. */
export type CompileRequest = { path: string };
export type CompileResult = {
  pipelineName: string;
  steps: string[];
  diagnostics: Diagnostic[];
  programDir?: string;
};

export type CancelResult = { cancelled: boolean };
