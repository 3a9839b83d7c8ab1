/** Notebook files on disk: the I/O edge around the pure notebook model. */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { notebookError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { parseNotebook, type NotebookDocument } from './read.js';
import { serializeNotebook } from './write.js';

/** Far above any real notebook (outputs included); a larger file is refused before it is read. */
export const NOTEBOOK_SIZE_LIMIT = 100 * 1024 * 1024;

export async function readNotebookFile(path: string): Promise<NotebookDocument> {
  // Non-blocking, so opening a FIFO returns at once instead of waiting for a writer; the checks run on
  // the opened file itself, so what is checked is what is read.
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new CellflowError(notebookError.notANotebook(`${path}: ${reason}`));
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new CellflowError(notebookError.notARegularFile(path, fileKind(stats)));
    if (stats.size > NOTEBOOK_SIZE_LIMIT)
      throw new CellflowError(notebookError.tooLarge(path, stats.size, NOTEBOOK_SIZE_LIMIT));
    return parseNotebook(await handle.readFile('utf8'));
  } catch (error) {
    if (error instanceof CellflowError) throw error;
    throw new CellflowError(notebookError.notANotebook(`${path}: ${(error as Error).message}`));
  } finally {
    await handle.close();
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Written atomically: a crash mid-write never leaves a truncated notebook. A document upgraded from an
 * older nbformat when read is refused unless the caller says so: writing it would silently change the
 * file's format.
 */
export async function writeNotebookFile(
  path: string,
  doc: NotebookDocument,
  options: { allowUpgrade?: boolean } = {}
): Promise<void> {
  if (doc.upgradedFrom !== undefined && !options.allowUpgrade)
    throw new CellflowError(notebookError.upgradedNotWritten(path, doc.upgradedFrom));
  await writeFileAtomic(path, serializeNotebook(doc), 'utf8');
}
