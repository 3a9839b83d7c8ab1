/**
 * The pipeline IR and diagnostics as the backend's `POST analyze` answers
 * them. A copy of the type declarations only: the source of truth is
 * server-ts/src/ir.ts and server-ts/src/diagnostics/diagnostic.ts, and the
 * frontend must not import from server-ts at build time. Keep the two in step.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint: string;
  /** 0-based notebook cell index; null for notebook-wide problems. */
  cellIndex: number | null;
  /** 1-based line inside the cell; null when the problem has no line. */
  line: number | null;
  /** 0-based column inside the line; null when unknown. */
  column: number | null;
}

export type Language = 'typescript' | 'javascript';

/** A parameter value as the parameters cell types it. */
export type ParameterType = 'number' | 'string' | 'boolean';
export type ParameterValue = number | string | boolean;

export interface Parameter {
  name: string;
  type: ParameterType;
  default: ParameterValue;
  cellIndex: number;
  line: number;
}

export interface Metric {
  name: string;
  /** The step whose outputs hold the value, or null when no step defines it. */
  step: string | null;
  cellIndex: number;
  line: number;
}

/** Per-step settings from `limit:`, `annotation:`, `label:`, `image:`, `cache:`, `retry:`, `timeout:`. */
export interface StepSettings {
  limits: Record<string, string>;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  image?: string;
  cache?: boolean;
  retry?: number;
  timeoutSeconds?: number;
}

export interface StepInput {
  name: string;
  /** The step whose definition reaches this step (nearest upstream definition). */
  from: string;
}

export interface Step {
  name: string;
  /** Notebook cell indices (0-based) in notebook order. */
  cells: number[];
  /** Direct dependencies (`prev:` tags), in tag order. */
  dependencies: string[];
  ins: StepInput[];
  /** Names this step hands to downstream steps, sorted. */
  outs: string[];
  /** Pipeline parameters this step reads, sorted. */
  parameters: string[];
  settings: StepSettings;
}

export interface PreludeCell {
  cellIndex: number;
  kind: 'imports' | 'functions';
  /** Names the cell defines (imports, functions, classes, constants). */
  defines: string[];
}

export interface NotebookSettings {
  experiment_name?: string;
  pipeline_name?: string;
  pipeline_description?: string;
  docker_image?: string;
  volumes?: unknown[];
  katib_metadata?: Record<string, unknown>;
  steps_defaults?: string[];
  enable_caching?: boolean;
}

export interface PipelineIR {
  version: 1;
  language: Language;
  kernel: string;
  settings: NotebookSettings;
  prelude: PreludeCell[];
  parameters: Parameter[];
  /** Steps in topological order (notebook order among independent steps). */
  steps: Step[];
  metrics: Metric[];
  diagnostics: Diagnostic[];
}
