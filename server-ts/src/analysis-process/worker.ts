/**
 * The analysis process's side: reads and analyzes the notebooks its parent names, one message each. It keeps
 * the analyzer's cell cache warm between requests. A crash here (the native parser on hostile input) ends
 * only this process; its parent answers the request with an error and starts a new one.
 */
import { analyzeNotebookWithLearnt } from '../compile/index.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { readNotebookFile } from '../notebook/file.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';

process.on('message', (request: AnalysisRequest) => void answer(request));
process.on('disconnect', () => process.exit(0)); // the parent is gone

async function answer({ id, path }: AnalysisRequest): Promise<void> {
  let reply: AnalysisReply;
  try {
    const notebook = await readNotebookFile(path);
    reply = { id, ir: analyzeNotebookWithLearnt(notebook.json, path).ir };
  } catch (error) {
    if (error instanceof CellflowError) reply = { id, diagnostic: error.diagnostic };
    else {
      const { message, code } = error as NodeJS.ErrnoException;
      reply = { id, failure: { message: message ?? String(error), code } };
    }
  }
  process.send!(reply);
}
