/**
 * Phase 1 for one cell: TypeScript is stripped of types (sucrase keeps every
 * line where it was; columns shift where types are removed, and are mapped
 * back to the cell's own), then acorn parses the JavaScript.
 */
import { Parser, type Options, type Program } from 'acorn';
import { decode } from '@jridgewell/sourcemap-codec';
import { transform } from 'sucrase';
import type { Language } from '../ir.js';

export interface ParsedCell {
  /** The cell as JavaScript, lines in the same places as the cell's source. */
  js: string;
  program: Program;
  sourceType: 'module' | 'script';
  /** An offset in `js` as a 1-based line and 0-based column in the cell's own source. */
  position: (offset: number) => { line: number; column: number };
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

const STRIP_TYPES = {
  transforms: ['typescript' as const],
  keepUnusedImports: true, // a later cell may use an import this cell does not
  disableESTransforms: true
};

export function stripTypes(source: string): string {
  return transform(source, STRIP_TYPES).code;
}

/** The JavaScript, and a map from a (line, column) in it back to the column in the TypeScript source. */
function stripTypesMapped(source: string): { js: string; sourceColumn: (line: number, column: number) => number } {
  const js = stripTypes(source);
  const [jsLines, sourceLines] = [js.split('\n'), source.split('\n')];
  let columns: Array<Array<[number, number]>> | undefined; // from sucrase's source map, made only when needed
  return {
    js,
    sourceColumn: (line, column) => {
      const [to, from] = [jsLines[line - 1] ?? '', sourceLines[line - 1] ?? ''];
      if (to === from) return column;
      // Text before the first removed type and after the last one is unchanged: most names sit there.
      let prefix = 0;
      while (prefix < to.length && to[prefix] === from[prefix]) prefix++;
      if (column < prefix) return column;
      let suffix = 0;
      while (suffix < to.length - prefix && to[to.length - 1 - suffix] === from[from.length - 1 - suffix]) suffix++;
      if (column >= to.length - suffix) return column + from.length - to.length;
      columns ??= decodeColumns(
        transform(source, { ...STRIP_TYPES, filePath: 'cell.ts', sourceMapOptions: { compiledFilename: 'cell.js' } })
          .sourceMap!.mappings
      );
      let mapped = column;
      for (const [generated, original] of columns[line - 1] ?? []) {
        if (generated > column) break;
        mapped = original + (column - generated);
      }
      return mapped;
    }
  };
}

/** A source map's mappings as [generated column, source column] pairs per line (sucrase maps every line to itself). */
function decodeColumns(mappings: string): Array<Array<[number, number]>> {
  return decode(mappings).map(line => line.filter(segment => segment.length >= 4).map(segment => [segment[0], segment[3]!]));
}

/**
 * Notebook cells are parsed as modules (imports, top-level await); cells that
 * only parse as sloppy scripts (ijavascript style) fall back to script mode.
 */
export function parseCellSource(source: string, language: Language): ParsedCell | ParseFailure {
  let js = source;
  let sourceColumn = (_line: number, column: number) => column;
  if (language === 'typescript' && !EXPLICIT_TYPE_ARGUMENTS.test(source)) {
    // Most notebook cells are plain JavaScript even in TypeScript notebooks: when acorn reads the cell
    // as it is, there are no types to strip (only explicit type arguments, `f<T>(x)`, read differently).
    const plain = parseJavaScript(source);
    if (plain) return plain;
  }
  if (language === 'typescript') {
    try {
      ({ js, sourceColumn } = stripTypesMapped(source));
    } catch (error) {
      return sucraseFailure(error as Error);
    }
  }
  const jsPosition = positionsIn(js);
  const position = (offset: number) => {
    const { line, column } = jsPosition(offset);
    return { line, column: sourceColumn(line, column) };
  };
  try {
    const program = Parser.parse(js, { ...BASE_OPTIONS, sourceType: 'module' });
    return { js, program, sourceType: 'module', position };
  } catch (moduleError) {
    try {
      const program = Parser.parse(js, { ...BASE_OPTIONS, sourceType: 'script' });
      return { js, program, sourceType: 'script', position };
    } catch {
      const failure = acornFailure(moduleError as Error & { loc?: { line: number; column: number } });
      return { ...failure, column: sourceColumn(failure.line, failure.column) };
    }
  }
}

/** `name<Type>(` or `name<Type>\`` : a call with explicit type arguments, which JavaScript reads as comparisons. */
const EXPLICIT_TYPE_ARGUMENTS = /[\w$\])]\s*<[^<>;=]*>\s*[(`]/;

function parseJavaScript(js: string): ParsedCell | undefined {
  try {
    return { js, program: Parser.parse(js, { ...BASE_OPTIONS, sourceType: 'module' }), sourceType: 'module', position: positionsIn(js) };
  } catch {
    return undefined; // types to strip (or a syntax error sucrase will report)
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
