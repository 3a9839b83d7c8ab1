/**
 * The analysis process's side: reads, analyzes, compiles or annotates the notebooks its parent names, one
 * message each. It keeps the analyzer's cell cache warm between requests. A crash here (the native parser on
 * hostile input) ends only this process; its parent answers the request with an error and starts a new one.
 */
import { analyzeNotebook } from '../analyze/index.js';
import { proposeSplit } from '../annotate/propose.js';
import { analyzeNotebookWithLearnt, compileNotebook, NotebookHasErrors } from '../compile/index.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { readNotebookFile } from '../notebook/file.js';
import type { NotebookJson } from '../notebook/nbformat.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';

process.on('message', (request: AnalysisRequest) => void answer(request));
process.on('disconnect', () => process.exit(0)); // the parent is gone

async function answer(request: AnalysisRequest): Promise<void> {
  const { id } = request;
  let reply: AnalysisReply;
  try {
    reply = { id, result: await run(request) };
  } catch (error) {
    if (error instanceof CellflowError) reply = { id, diagnostic: error.diagnostic };
    else {
      const { message, code } = error as NodeJS.ErrnoException;
      reply = { id, failure: { message: message ?? String(error), code } };
    }
  }
  process.send!(reply);
}

async function run({ job, path, cells }: AnalysisRequest) {
  const file = (await readNotebookFile(path)).json;
  // Unsaved cells replace the file's; the file still says the kernel and the notebook's settings.
  const notebook: NotebookJson = cells === undefined ? file : { ...file, cells };
  switch (job) {
    case 'analyze':
      return analyzeNotebookWithLearnt(notebook, path).ir;
    case 'compile':
      try {
        return { compiled: compileNotebook(notebook, path) };
      } catch (error) {
        // Refused: the answer says why, with the steps the analysis found (the cell cache makes this cheap).
        if (!(error instanceof NotebookHasErrors)) throw error;
        return { ir: analyzeNotebookWithLearnt(notebook, path).ir, errors: error.diagnostics };
      }
    case 'annotate':
      // The notebook's own errors are in the proposal's `diagnostics`, for the caller to show.
      return proposeSplit(notebook, analyzeNotebook(notebook));
  }
}
