/** A file the engine could not write, as a coded diagnostic: a full disk says so, anything else says what failed. */
import { stepError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

export function storageFailure(step: string | null, error: unknown): Diagnostic {
  const { code, message } = error as NodeJS.ErrnoException;
  if ((code && DISK_FULL.has(code)) || /ENOSPC|EDQUOT|no space left/i.test(message ?? ''))
    return stepError.diskFull(step, code ?? 'ENOSPC');
  return stepError.storageFailed(step, message ?? String(error));
}
