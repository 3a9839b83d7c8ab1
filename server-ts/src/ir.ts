/**
 * The pipeline IR: what analysis hands to the compilers, and what
 * `cellflow analyze --json` prints. Plain JSON data, no classes, so the
 * frontend, the HTTP API and golden samples share it as is.
 */
import type { Diagnostic } from './diagnostics/diagnostic.js';

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
  /** Names runs saw this step change where the source does not show it (absent when none); counted as its writes. */
  learnt?: string[];
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

export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
