/** Messages between the server and its analysis process. */
import type { Proposal } from '../annotate/propose.js';
import type { CompiledNotebook } from '../compile/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PipelineIR } from '../ir.js';
import type { NotebookCell } from '../notebook/nbformat.js';

/** What the process does with a notebook: the same functions the CLI's analyze, compile and annotate use. */
export type AnalysisJob = 'analyze' | 'compile' | 'annotate';

/** What each job answers. */
export interface JobResults {
  analyze: PipelineIR;
  /** Compiled, or refused with the errors that stop it (the analysis's and the preflight's). */
  compile: { compiled: CompiledNotebook } | { ir: PipelineIR; errors: Diagnostic[] };
  annotate: Proposal;
}

export interface AnalysisRequest {
  id: number;
  job: AnalysisJob;
  /** An absolute notebook path, already confined to the server's root. */
  path: string;
  /** Unsaved cells that replace the file's (nbformat cells); the file still gives the metadata. */
  cells?: NotebookCell[];
}

export type AnalysisReply =
  | { id: number; result: JobResults[AnalysisJob] }
  /** The notebook cannot be read or analyzed: the user's to fix. */
  | { id: number; diagnostic: Diagnostic }
  /** Anything else that went wrong (a missing file: `code` ENOENT). */
  | { id: number; failure: { message: string; code?: string } };
