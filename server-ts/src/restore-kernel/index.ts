/** "Restore state": the code that loads a restored step's values into the user's own kernel. */
export { writeRestoreLoader, bundledLoader, LOADER_FILE } from './loader.js';
export { restoreStateCode, restoreSummary, restoreKernels } from './state-code.js';
export type { RestoreKernel, StateCodeOptions } from './state-code.js';
export { readRestoreRecord, checkRestoreRecord, RESTORE_DIR, RESTORE_FILE } from './restore-file.js';
export type { RestoreRecord } from './restore-file.js';
