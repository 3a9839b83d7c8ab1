/** Notebook files on disk: the I/O edge around the pure notebook model. */
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { notebookError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { parseNotebook, type NotebookDocument } from './read.js';
import { serializeNotebook } from './write.js';

export async function readNotebookFile(path: string): Promise<NotebookDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new CellflowError(notebookError.notANotebook(`${path}: ${reason}`));
  }
  return parseNotebook(text);
}

/** Written atomically: a crash mid-write never leaves a truncated notebook. */
export async function writeNotebookFile(path: string, doc: NotebookDocument): Promise<void> {
  await writeFileAtomic(path, serializeNotebook(doc), 'utf8');
}
