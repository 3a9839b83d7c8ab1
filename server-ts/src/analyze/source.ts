/**
 * Phase 1 for one cell: oxc parses the cell as it is (TypeScript or
 * JavaScript), so every position is already the cell's own; then the typed
 * AST becomes plain ESTree (visitors/typescript.ts) for eslint-scope.
 */
import type { Node, Program } from 'estree';
import { parseSync, Severity, type OxcError, type ParseResult } from 'oxc-parser';
import type { Language } from '../ir.js';
import { eraseTypes, UnsupportedSyntax, type TsNode } from './visitors/typescript.js';

export interface ParsedCell {
  /** Plain ESTree: types erased, ranges in the cell's source. */
  program: Program;
  sourceType: 'module' | 'script';
  /** The cell has TypeScript syntax: its JavaScript for the compiler comes from stripTypes. */
  typed: boolean;
  /** Namespaces with values: sucrase drops them, so the compiled cell would not define them. */
  namespaces: Array<{ name: string; line: number; column: number }>;
  /** An offset in the cell's source as a 1-based line and 0-based column. */
  position: (offset: number) => { line: number; column: number };
}

export interface ParseFailure {
  message: string;
  line: number;
  column: number;
}

/**
 * Notebook cells are parsed as modules (imports, top-level await); cells that
 * only parse as sloppy scripts (ijavascript style) fall back to script mode.
 * Semantic errors count (`let x; let x;`): the kernel rejects those cells too.
 * `visit` sees every node of the plain ESTree result, children first.
 */
export function parseCellSource(
  source: string,
  language: Language,
  visit?: (node: Node) => void
): ParsedCell | ParseFailure {
  const file = language === 'typescript' ? 'cell.ts' : 'cell.js';
  const position = positionsIn(source);
  let sourceType: ParsedCell['sourceType'] = 'module';
  let parsed = parse(file, source, sourceType);
  const moduleError = firstError(parsed);
  if (moduleError) {
    sourceType = 'script';
    parsed = parse(file, source, sourceType);
    if (firstError(parsed)) return failure(moduleError.message, errorOffset(moduleError), position);
  }
  const program = parsed.program as unknown as TsNode;
  try {
    const erased = eraseTypes(program, visit as ((node: TsNode) => void) | undefined);
    const namespaces = erased.namespaces.map(n => ({ name: n.name, ...position(n.offset) }));
    return { program: program as unknown as Program, sourceType, typed: erased.typed, namespaces, position };
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return failure(error.message, error.offset, position);
    throw error;
  }
}

function parse(file: string, source: string, sourceType: ParsedCell['sourceType']): ParseResult {
  // Parenthesized expressions are not ESTree nodes; ranges are what eslint-scope reads.
  return parseSync(file, source, { sourceType, range: true, preserveParens: false, showSemanticErrors: true });
}

function firstError(parsed: ParseResult): OxcError | undefined {
  return parsed.errors.find(e => e.severity === Severity.Error);
}

/**
 * Where the parser noticed the error: the furthest of its labels, as acorn reported it (`let x; let x;` points at
 * the second `x`, an unclosed `<` at what should have closed it, not at the `<`).
 */
function errorOffset(error: OxcError): number {
  return error.labels.reduce((offset, label) => Math.max(offset, label.start), 0);
}

function failure(message: string, offset: number, position: ParsedCell['position']): ParseFailure {
  return { message: message.replace(/\.$/, ''), ...position(offset) }; // the diagnostic ends the sentence
}

export function isParseFailure(result: ParsedCell | ParseFailure): result is ParseFailure {
  return !('program' in result);
}

/** Offset → 1-based line and 0-based column, by binary search over line starts. */
export function positionsIn(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return offset => {
    let [low, high] = [0, starts.length - 1];
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] };
  };
}
