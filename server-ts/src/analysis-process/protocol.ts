/** Messages between the server and its analysis process. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PipelineIR } from '../ir.js';

export interface AnalysisRequest {
  id: number;
  /** An absolute notebook path, already confined to the server's root. */
  path: string;
}

export type AnalysisReply =
  | { id: number; ir: PipelineIR }
  /** The notebook cannot be analyzed: the user's to fix. */
  | { id: number; diagnostic: Diagnostic }
  /** Anything else that went wrong (a missing file: `code` ENOENT). */
  | { id: number; failure: { message: string; code?: string } };
