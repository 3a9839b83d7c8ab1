/** Messages between the server and its analysis process. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Proposal } from '../annotate/propose.js';
import type { PipelineIR } from '../ir.js';

export interface AnalysisRequest {
  id: number;
  /** `analyze`: the pipeline IR; `annotate`: `cellflow annotate`'s proposal. */
  task: 'analyze' | 'annotate';
  /** An absolute notebook path, already confined to the server's root. */
  path: string;
  /** The notebook's unsaved cells (nbformat JSON), analyzed in place of the file's; its metadata still comes from the file. */
  cells?: unknown[];
}

export type AnalysisReply =
  | { id: number; ir: PipelineIR }
  | { id: number; proposal: Proposal }
  /** The notebook cannot be analyzed: the user's to fix. */
  | { id: number; diagnostic: Diagnostic }
  /** Anything else that went wrong (a missing file: `code` ENOENT). */
  | { id: number; failure: { message: string; code?: string } };
