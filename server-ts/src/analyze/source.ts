/**
 * Phase 1 for one cell: TypeScript is stripped of types (sucrase keeps every
 * line where it was, so positions map back to the cell without a source map),
 * then acorn parses the JavaScript.
 */
import { Parser, type Options, type Program } from 'acorn';
import { transform } from 'sucrase';
import type { Language } from '../ir.js';

export interface ParsedCell {
  /** The cell as JavaScript, lines in the same places as the cell's source. */
  js: string;
  program: Program;
  sourceType: 'module' | 'script';
}

export interface ParseFailure {
  message: string;
  line: number;
  column: number;
}

const BASE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowAwaitOutsideFunction: true,
  allowHashBang: true,
  allowImportExportEverywhere: true,
  ranges: true // eslint-scope needs ranges; positions come from offsets
};

export function stripTypes(source: string): string {
  return transform(source, {
    transforms: ['typescript'],
    keepUnusedImports: true, // a later cell may use an import this cell does not
    disableESTransforms: true
  }).code;
}

/**
 * Notebook cells are parsed as modules (imports, top-level await); cells that
 * only parse as sloppy scripts (ijavascript style) fall back to script mode.
 */
export function parseCellSource(source: string, language: Language): ParsedCell | ParseFailure {
  let js: string;
  if (language === 'typescript') {
    try {
      js = stripTypes(source);
    } catch (error) {
      return sucraseFailure(error as Error);
    }
  } else {
    js = source;
  }
  try {
    return { js, program: Parser.parse(js, { ...BASE_OPTIONS, sourceType: 'module' }), sourceType: 'module' };
  } catch (moduleError) {
    try {
      return { js, program: Parser.parse(js, { ...BASE_OPTIONS, sourceType: 'script' }), sourceType: 'script' };
    } catch {
      return acornFailure(moduleError as Error & { loc?: { line: number; column: number } });
    }
  }
}

export function isParseFailure(result: ParsedCell | ParseFailure): result is ParseFailure {
  return !('program' in result);
}

function acornFailure(error: Error & { loc?: { line: number; column: number } }): ParseFailure {
  const message = error.message.replace(/\s*\(\d+:\d+\)$/, '');
  return { message, line: error.loc?.line ?? 1, column: error.loc?.column ?? 0 };
}

function sucraseFailure(error: Error): ParseFailure {
  // sucrase reports "Unexpected token (3:7)" with a 1-based line and column.
  const match = /\((\d+):(\d+)\)/.exec(error.message);
  const message = error.message.replace(/\s*\(\d+:\d+\)$/, '');
  return match
    ? { message, line: Number(match[1]), column: Math.max(0, Number(match[2]) - 1) }
    : { message, line: 1, column: 0 };
}

/** Offset → 1-based line and 0-based column, by binary search over line starts (cheaper than acorn's per-node locations). */
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
