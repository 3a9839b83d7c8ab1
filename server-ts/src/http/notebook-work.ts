/** What the server asks of a notebook (analyze, compile, annotate), in the analysis process by default. */
import type { JobResults } from '../analysis-process/index.js';
import type { PipelineIR } from '../ir.js';
import type { NotebookCell } from '../notebook/nbformat.js';

export interface NotebookWork {
  analyze(path: string, cells?: NotebookCell[]): Promise<PipelineIR>;
  compile(path: string, cells?: NotebookCell[]): Promise<JobResults['compile']>;
  annotate(path: string, cells?: NotebookCell[]): Promise<JobResults['annotate']>;
}
