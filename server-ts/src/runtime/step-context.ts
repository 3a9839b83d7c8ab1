/**
 * What the engine tells a step process, in a JSON file named by the
 * CELLFLOW_STEP_CONTEXT environment variable. Shared by the engine (writer)
 * and the step runtime (reader).
 */
import type { PlanOutput } from '../compile/local/plan.js';
import type { ParameterValue } from '../ir.js';

export const STEP_CONTEXT_ENV = 'CELLFLOW_STEP_CONTEXT';
export const ARTIFACTS_DIR_ENV = 'CELLFLOW_ARTIFACTS_DIR';
/** Set to 1 for a step started early: after its prelude it waits for the engine to send its inputs. */
export const WAIT_FOR_INPUTS_ENV = 'CELLFLOW_WAIT_FOR_INPUTS';

export interface StepContextFile {
  step: string;
  notebookPath: string;
  parameters: Record<string, ParameterValue>;
  /** Where each input lives: the producing step's outputs folder. */
  inputs: Record<string, { from: string; dir: string }>;
  outputsDir: string;
  outs: PlanOutput[];
  /** Written by the step: metric values as JSON. */
  metricsFile: string;
  /** Written by the step when it fails: where in the notebook, and why. */
  errorFile: string;
  classes: string[];
}

/** A step failure as the step reports it, pointing at the user's cell. */
export interface StepFailure {
  kind: 'exception' | 'marshal';
  message: string;
  cellIndex: number | null;
  line: number | null;
  column: number | null;
  stack: string;
}
