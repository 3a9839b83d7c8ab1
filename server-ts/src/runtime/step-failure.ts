/** A step failure made from a coded diagnostic: the message, the code and the hint travel together. */
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StepFailure } from './step-context.js';

/** A write failed because the disk (or the user's quota) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function failureOf(diagnostic: Diagnostic, kind: StepFailure['kind'] = 'exception'): StepFailure {
  return {
    kind,
    code: diagnostic.code as DiagnosticCode, // every diagnostic is made by a codes.ts function
    hint: diagnostic.hint,
    message: diagnostic.message,
    cellIndex: diagnostic.cellIndex,
    line: diagnostic.line,
    column: diagnostic.column,
    stack: ''
  };
}
