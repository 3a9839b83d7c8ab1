/**
 * What the engine tells a step process, in a JSON file named by the
 * CELLFLOW_STEP_CONTEXT environment variable. Shared by the engine (writer)
 * and the step runtime (reader).
 */
import type { PlanOutput } from '../compile/local/plan.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { ParameterValue } from '../ir.js';
import type { FileAccessReport } from './file-access.js';
import type { EnvChange, StateChanges } from './state-watch.js';

export const STEP_CONTEXT_ENV = 'CELLFLOW_STEP_CONTEXT';
export const ARTIFACTS_DIR_ENV = 'CELLFLOW_ARTIFACTS_DIR';
/** Set to 1 for a step started early: after its prelude it waits for the engine to send its inputs. */
export const WAIT_FOR_INPUTS_ENV = 'CELLFLOW_WAIT_FOR_INPUTS';

/** Node's exit code when the event loop empties while top-level `await` waits on a promise that never settles. */
export const UNSETTLED_TOP_LEVEL_AWAIT = 13;

export interface StepContextFile {
  step: string;
  notebookPath: string;
  parameters: Record<string, ParameterValue>;
  /** Where each input lives: the outputs folder of the nearest upstream step that saved it. */
  inputs: Record<string, { from: string; dir: string }>;
  /** `process.env` changes made by upstream steps, applied after the prelude as the kernel would have them. */
  env?: EnvChange;
  outputsDir: string;
  outs: PlanOutput[];
  /** Written by the step: metric values as JSON. */
  metricsFile: string;
  /** Written by the step when it fails: where in the notebook, and why. */
  errorFile: string;
  /** Written by the step when it succeeds: what it saved and what it changed that the plan did not say. */
  resultFile: string;
  classes: string[];
}

/** A step failure as the step reports it, pointing at the user's cell. */
export interface StepFailure {
  /** plan-check: the step ran, but changed something no pipeline can hand on exactly (see `code`). */
  kind: 'exception' | 'marshal' | 'plan-check';
  /** The diagnostic code, for plan-check failures. */
  code?: DiagnosticCode;
  hint?: string;
  message: string;
  cellIndex: number | null;
  line: number | null;
  column: number | null;
  stack: string;
}

/** A value the step loaded and changed although the plan did not list it as an output. */
export interface UnplannedWrite {
  name: string;
  /** The step it was loaded from. */
  from: string;
  how: 'mutated' | 'reassigned';
}

/** What a step reports when it succeeds (`result.json`): the engine checks the plan against it. */
export interface StepResult {
  /** Every value in the outputs folder: planned outs, unplanned writes and the values saved in a group with them. */
  saved: string[];
  unplannedWrites: UnplannedWrite[];
  /** Where each loaded value came from (group mates included): `cellflow verify` loads the same ones. */
  loaded: Record<string, { from: string; dir: string }>;
  state: StateChanges;
  /** The files it touched (file-access.ts); absent when the run works in the live folder. */
  files?: FileAccessReport;
}

export const VERIFY_CONTEXT_ENV = 'CELLFLOW_VERIFY_CONTEXT';

/** What `cellflow verify` tells the straight-through program: the pipeline run's values, and where to report. */
export interface VerifyContextFile {
  parameters: Record<string, ParameterValue>;
  /** Per step: where each value it loaded in the pipeline run lives. */
  steps: Record<string, Record<string, { from: string; dir: string }>>;
  classes: string[];
  reportFile: string;
}

/** The straight-through program's findings: every value compared, and the first that differs. */
export interface VerifyObservations {
  compared: { step: string; name: string; from: string }[];
  difference?: { step: string; name: string; from: string; path: string; what: string };
  /** A pipeline value that could not be loaded into the straight run. */
  error?: { step: string; name: string; message: string };
}
