/**
 * A problem found in a notebook, pointing at the cell and line the user
 * wrote. Every diagnostic is made by a named function in `codes.ts`, so the
 * codes, messages and hints live in one place.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  hint: string;
  /** 0-based notebook cell index; null for notebook-wide problems. */
  cellIndex: number | null;
  /** 1-based line inside the cell; null when the problem has no line. */
  line: number | null;
  /** 0-based column inside the line; null when unknown. */
  column: number | null;
}

export interface Place {
  cellIndex: number | null;
  line?: number | null;
  column?: number | null;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some(d => d.severity === 'error');
}

/** `notebook.ipynb, cell 3, line 2:5` — cells and columns shown 1-based, as people count. */
export function formatPlace(d: Diagnostic, notebookPath?: string): string {
  const parts: string[] = [];
  if (notebookPath) parts.push(notebookPath);
  if (d.cellIndex !== null) parts.push(`cell ${d.cellIndex + 1}`);
  if (d.line !== null) parts.push(`line ${d.line}${d.column !== null ? `:${d.column + 1}` : ''}`);
  return parts.join(', ');
}

export function formatDiagnostic(d: Diagnostic, notebookPath?: string): string {
  const place = formatPlace(d, notebookPath);
  return `${d.severity} ${d.code}${place ? ` (${place})` : ''}: ${d.message}\n  hint: ${d.hint}`;
}

/** An error that stops a command: a diagnostic that is not about one cell's code. */
export class CellflowError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'CellflowError';
  }
}
