/**
 * How a command that stopped says why: every error is a coded diagnostic,
 * printed readably on stderr, or as one JSON object on stdout when the
 * command was asked for `--json` (so scripts always get JSON). The exit codes
 * are the README's: 1 the notebook has errors, 2 bad input or nothing there,
 * 70 a bug in cellflow (no stack trace unless CELLFLOW_DEBUG=1).
 */
import { NotebookHasErrors } from '../compile/index.js';
import { commandError } from '../diagnostics/codes.js';
import { CellflowError, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2, internal: 70, cancelled: 130 } as const;

export function reportError(error: unknown, options: { json: boolean; notebookPath?: string }): number {
  let diagnostic: Diagnostic;
  let details: Diagnostic[] = [];
  let exitCode: number;
  if (error instanceof NotebookHasErrors) {
    [diagnostic, details, exitCode] = [error.diagnostic, error.diagnostics, EXIT.failed];
  } else if (error instanceof CellflowError) {
    [diagnostic, exitCode] = [error.diagnostic, EXIT.badInput];
  } else {
    const message = error instanceof Error ? error.message : String(error);
    [diagnostic, exitCode] = [commandError.internal(message), EXIT.internal];
    if (process.env.CELLFLOW_DEBUG === '1') process.stderr.write(`${(error as Error)?.stack ?? message}\n`);
  }
  if (options.json) {
    process.stdout.write(JSON.stringify({ error: { ...diagnostic, diagnostics: details } }) + '\n');
  } else {
    for (const d of details) process.stderr.write(formatDiagnostic(d, options.notebookPath) + '\n');
    process.stderr.write(formatDiagnostic(diagnostic) + '\n');
  }
  return exitCode;
}
