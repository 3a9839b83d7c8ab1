/**
 * Request and response shapes of the HTTP API this extension uses beyond the
 * pipeline IR (src/ir.ts). Declared here, in one place, until the types
 * generated from the server's OpenAPI document (src/api/schema.d.ts) replace
 * them.
 */
import type { Diagnostic, StepInput } from '../ir';

/** A notebook cell as the analysis reads it: nbformat JSON without outputs. */
export interface IAnalysisCell {
  id?: string;
  cell_type: string;
  source: string;
  metadata: Record<string, unknown>;
  outputs?: [];
  execution_count?: null;
}

/** `POST /api/analyze` and `POST /api/annotate`. */
export interface IAnalyzeRequest {
  /** The notebook path relative to the Jupyter root; its file gives the kernel and settings. */
  path: string;
  /** The unsaved cells, analyzed in place of the file's. */
  cells?: IAnalysisCell[];
}

/** One step of a proposed split (`cellflow annotate --json`). */
export interface IProposedStep {
  name: string;
  cells: number[];
  prev: string[];
  ins: StepInput[];
  outs: string[];
}

/** `POST /api/annotate`: the proposed tags for a notebook without step tags. */
export interface IAnnotateProposal {
  /** `split`: several steps; `one-step`: one step; `unchanged`: nothing proposed (see notes). */
  outcome: 'split' | 'one-step' | 'unchanged';
  /** Every code cell whose tags change, with its new tags. */
  cells: Array<{ index: number; tags: string[] }>;
  prelude: Array<{ index: number; kind: 'imports' | 'functions' }>;
  steps: IProposedStep[];
  notes: string[];
  /** The notebook's own errors, when they stop a proposal. */
  diagnostics: Diagnostic[];
}
