/** A file the engine could not write, as a coded diagnostic: a full disk says so, anything else says what failed. */
import { stepError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { isDiskFull } from '../../runtime/step-failure.js';

export function storageFailure(step: string | null, error: unknown): Diagnostic {
  const { code, message } = error as NodeJS.ErrnoException;
  if (isDiskFull(error)) return stepError.diskFull(step, code ?? 'ENOSPC');
  return stepError.storageFailed(step, message ?? String(error));
}
