/**
 * The analysis process's side: reads and analyzes the notebooks its parent names, one message each. It keeps
 * the analyzer's cell cache warm between requests. A crash here (the native parser on hostile input) ends
 * only this process; its parent answers the request with an error and starts a new one.
 */
import { analyzeNotebook } from '../analyze/index.js';
import { proposeSplit } from '../annotate/propose.js';
import { analyzeNotebookWithLearnt } from '../compile/index.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { readNotebookFile } from '../notebook/file.js';
import { parseNotebook } from '../notebook/read.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';

process.on('message', (request: AnalysisRequest) => void answer(request));
process.on('disconnect', () => process.exit(0)); // the parent is gone

async function answer({ id, task, path, cells }: AnalysisRequest): Promise<void> {
  let reply: AnalysisReply;
  try {
    const file = await readNotebookFile(path);
    // Unsaved cells go through the same checks as a file's (parseNotebook), under the file's metadata.
    const json = cells === undefined ? file.json : parseNotebook(JSON.stringify({ ...file.json, cells })).json;
    reply =
      task === 'annotate'
        ? { id, proposal: proposeSplit(json, analyzeNotebook(json)) }
        : { id, ir: analyzeNotebookWithLearnt(json, path).ir };
  } catch (error) {
    if (error instanceof CellflowError) reply = { id, diagnostic: error.diagnostic };
    else {
      const { message, code } = error as NodeJS.ErrnoException;
      reply = { id, failure: { message: message ?? String(error), code } };
    }
  }
  process.send!(reply);
}
