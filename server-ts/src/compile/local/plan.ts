/**
 * The local target: a plan (the DAG, parameters, settings) and one ES module
 * per step. The engine runs the plan; the step runtime reads its context.
 */
import type { ModuleLoader } from './module-loader.js';
import type { Metric, Parameter, StepInput, StepSettings } from '../../ir.js';
import type { KernelRuntime } from '../../notebook/language.js';

/** Generated lines [generatedLine, generatedLine + lineCount) hold cell `cellIndex`'s lines 1..lineCount. */
export interface LineSegment {
  generatedLine: number;
  cellIndex: number;
  lineCount: number;
}

export interface PlanOutput {
  name: string;
  /** Steps that take this value from this step. */
  consumers: string[];
  /** Where the step last defines it: a value that cannot be handed on is reported there. */
  definedAt?: { cellIndex: number; line: number; column: number };
}

export interface PlanStep {
  name: string;
  /** The step's program, relative to the plan's folder. */
  file: string;
  dependencies: string[];
  ins: StepInput[];
  outs: PlanOutput[];
  /** Parameters whose values decide this step's result (its own reads and the prelude's). */
  parameters: string[];
  metrics: string[];
  /** sha256 of the step's cell sources: learnt writes of the step hold while it is unchanged. */
  sourceHash: string;
  /** The step's first notebook cell: "later in the notebook" compares these. */
  firstCell: number;
  /** Prelude bindings the step's program defines (the statements it keeps): state a step may change. */
  preludeBindings: string[];
  /** Whether its cells or its prelude read `process` (so `process.env` changes upstream could reach it). */
  readsProcess: boolean;
  settings: StepSettings;
  /** sha256 of the runtime and the generated program: the code part of the cache key. */
  codeHash: string;
  lineMap: LineSegment[];
  /** Where the step's cells (prelude included) load modules: a module that fails to load is reported there. */
  imports: StepImportSite[];
}

export interface StepImportSite {
  specifier: string;
  /** As the program imports it: relative specifiers made file URLs from the notebook's folder. */
  resolved: string;
  cellIndex: number;
  line: number;
  column: number;
}

export interface LocalPlan {
  version: 1;
  notebookPath: string;
  notebookDir: string;
  /** What every step runs on: the runtime the notebook's kernel runs cells on. */
  runtime: KernelRuntime;
  parameters: Parameter[];
  /** Classes from `functions` cells: instances keep their prototype between steps. */
  classes: string[];
  steps: PlanStep[];
  metrics: Metric[];
  enableCaching: boolean;
  /** The module loader steps run with (local `.ts` and extensionless imports), when they need one. */
  moduleLoader?: ModuleLoader;
}
