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
  /** The cell has JSX: stripTypes compiles it too (classic runtime, `React.createElement`). */
  jsx: boolean;
  /** Namespaces with values: sucrase drops them, so the compiled cell would not define them. */
  namespaces: Array<{ name: string; line: number; column: number }>;
  /** An offset in the cell's source as a 1-based line and 0-based column. */
  position: (offset: number) => { line: number; column: number };
}

export interface ParseFailure {
  message: string;
  line: number;
  column: number;
  /** The cell parses, but nests deeper than cellflow analyzes (a limit, not the user's syntax error). */
  tooDeep?: true;
}

/**
 * How deep brackets may nest in a cell. Past it the tools below give way: the native parser crashes (not
 * throws) near 8,000, acorn (the compiler's parser) runs out of stack near 1,000 and V8 aborts inside it on
 * ~500 nested arrow functions. Real cells stay far below this.
 */
export const MAX_NESTING = 200;

/**
 * How many operators one line of an expression may chain (`1 + 1 + …`, `!!…`, `a.b.c…`): each nests the tree
 * one level deeper without a bracket, and the native parser crashes somewhere past 40,000, the analysis walks overflow their stack near 5,000 and the compiler's (acorn-walk) near 2,000.
 */
export const MAX_OPERATOR_CHAIN = 1000;

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
  const deep = deepestNesting(source, MAX_NESTING);
  if (deep !== undefined) return { ...failure(deep.what, deep.offset, position), tooDeep: true };
  let sourceType: ParsedCell['sourceType'] = 'module';
  let parsed = parse(file, source, sourceType);
  const moduleError = firstError(parsed);
  if (moduleError) {
    // A module, a sloppy script (ijavascript style), then the same with JSX (Deno's and tslab's `.tsx` cells),
    // which is a separate dialect (`<T>x` casts are not JSX's); the first error is the one reported.
    const jsxFile = file.replace(/\.(ts|js)$/, '.$1x');
    const attempts: [string, ParsedCell['sourceType']][] = [[file, 'script']];
    if (source.includes('<')) attempts.push([jsxFile, 'module'], [jsxFile, 'script']);
    let next: { type: ParsedCell['sourceType']; result: ParseResult } | undefined;
    for (const [name, type] of attempts) {
      const result = parse(name, source, type);
      if (!firstError(result)) {
        next = { type, result };
        break;
      }
    }
    if (!next) return failure(moduleError.message, errorOffset(moduleError), position);
    sourceType = next.type;
    parsed = next.result;
  }
  const program = parsed.program as unknown as TsNode;
  try {
    const erased = eraseTypes(program, visit as ((node: TsNode) => void) | undefined);
    const namespaces = erased.namespaces.map(n => ({ name: n.name, ...position(n.offset) }));
    const { typed, jsx } = erased;
    return { program: program as unknown as Program, sourceType, typed, jsx, namespaces, position };
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return failure(error.message, error.offset, position);
    if (isStackOverflow(error))
      return { ...failure('the code nests too deeply to analyze', 0, position), tooDeep: true };
    throw error;
  }
}

export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/i.test(error.message);
}

/**
 * The offset where `(`, `[`, `{` and `${` first nest deeper than `limit`, outside strings and comments;
 * undefined when they never do. A quick lexical scan, run before the parser sees the cell: brackets inside a
 * regular expression count too, which only ever errs by a few levels.
 */
export function deepestNesting(
  source: string,
  limit: number,
  chainLimit = MAX_OPERATOR_CHAIN
): { offset: number; what: string } | undefined {
  // What each open bracket is: a template literal's `${` returns to the template when it closes.
  const open: Array<'bracket' | 'template'> = [];
  let i = 0;
  let chain = 0;
  const n = source.length;
  const skipQuoted = (quote: string) => {
    for (i++; i < n && source[i] !== quote && source[i] !== '\n'; i++) if (source[i] === '\\') i++;
  };
  /** Scans template text from i (just inside a backtick) to its end or to a `${`, which opens a level. */
  const scanTemplate = (): boolean => {
    for (; i < n; i++) {
      if (source[i] === '\\') i++;
      else if (source[i] === '`') return false;
      else if (source[i] === '$' && source[i + 1] === '{') {
        i++;
        return true;
      }
    }
    return false;
  };
  for (; i < n; i++) {
    const c = source[i]!;
    if (OPERATOR_CHARACTERS.has(c) && !(c === '/' && (source[i + 1] === '/' || source[i + 1] === '*'))) {
      if (++chain > chainLimit) return { offset: i, what: `an expression chains more than ${chainLimit} operators` };
      continue;
    }
    if (CHAIN_BREAKS.has(c)) chain = 0;
    if (c === '/' && source[i + 1] === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === "'" || c === '"') {
      skipQuoted(c);
    } else if (c === '`') {
      i++;
      if (scanTemplate()) open.push('template');
    } else if (c === '(' || c === '[' || c === '{') {
      open.push('bracket');
    } else if (c === ')' || c === ']' || c === '}') {
      if (open.pop() === 'template' && c === '}') {
        i++;
        if (scanTemplate()) open.push('template');
      }
    } else continue;
    if (open.length > limit) return { offset: i, what: `brackets nest more than ${limit} deep` };
  }
  return undefined;
}

const OPERATOR_CHARACTERS = new Set([...'+-*/%!~&|^<>?:=.']);
/** Where an operator chain ends: between statements, elements, lines, or at a bracket (counted on its own). */
const CHAIN_BREAKS = new Set([...';,\n()[]{}`\'"']);

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
