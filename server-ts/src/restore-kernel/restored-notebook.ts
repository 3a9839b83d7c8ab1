/**
 * From a restored notebook to the code that loads its state: the notebook's `metadata.cellflow.restored` names
 * the restore record, which must lie inside the notebook's folder; the loader is (re)written beside it.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { restoreKernelError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { readNotebookFile } from '../notebook/file.js';
import type { RestoreSummary } from './loader-entry.js';
import { writeRestoreLoader } from './loader.js';
import { RESTORE_DIR, RESTORE_FILE, readRestoreRecord } from './restore-file.js';
import { restoreStateCode, restoreSummary, type RestoreKernel } from './state-code.js';

export interface StateCode extends RestoreSummary {
  code: string;
  kernel: RestoreKernel;
  runId: string;
  step: string;
}

/** The code for `kernel` that restores the state of the restored notebook at `notebookFile`. */
export async function stateCodeForNotebook(notebookFile: string, kernel: RestoreKernel): Promise<StateCode> {
  const document = await readNotebookFile(notebookFile);
  const metadata = document.json.metadata as { cellflow?: { restored?: { stateFile?: unknown } } } | undefined;
  const restored = metadata?.cellflow?.restored;
  if (typeof restored !== 'object' || restored === null) {
    throw new CellflowError(restoreKernelError.notARestoredNotebook(notebookFile));
  }
  const folder = dirname(notebookFile);
  const stateFile = typeof restored.stateFile === 'string' ? restored.stateFile : `${RESTORE_DIR}/${RESTORE_FILE}`;
  const recordFile = resolve(folder, stateFile);
  // The record must be the folder's own: a notebook cannot point the loader at files elsewhere.
  if (recordFile !== resolve(folder, RESTORE_DIR, RESTORE_FILE)) {
    const outside = relative(folder, recordFile);
    throw new CellflowError(
      restoreKernelError.restoreFileInvalid(
        notebookFile,
        `its \`stateFile\` ${JSON.stringify(stateFile)} is not ${RESTORE_DIR}/${RESTORE_FILE}${isAbsolute(outside) || outside.startsWith('..') ? ' (it lies outside the folder)' : ''}`
      )
    );
  }
  const record = readRestoreRecord(folder);
  writeRestoreLoader(folder);
  const code = restoreStateCode(record, { kernel, folder });
  return { code, kernel, runId: record.runId, step: record.step, ...restoreSummary(record, kernel) };
}
