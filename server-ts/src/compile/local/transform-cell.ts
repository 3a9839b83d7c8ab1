/**
 * Rewrites one cell's JavaScript so cells can share one function body the way
 * they share a kernel: top-level `const`/`let` become `var` (so a later cell
 * may declare the same name again, as kernels allow), top-level classes become
 * `var` bindings, and static imports are lifted out to the module's top.
 * Top-level functions are hoisted per cell, as a kernel hoists them: each gets
 * a name of its own cell's and the cell's first line binds the notebook name
 * to it, so a function declared again in a later cell does not replace the
 * earlier one in the cells between (one function body would hoist the last).
 * Every edit stays on its line, so line numbers still match the notebook.
 */
import type { FunctionDeclaration, Program } from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import { parseJavaScript } from './parse-javascript.js';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export interface TransformedCell {
  /** The cell's code for the shared function body, same line count as the input. */
  body: string;
  /** Static import declarations, lifted to the module top. */
  imports: string[];
}

export function transformCell(
  js: string,
  sourceType: 'module' | 'script',
  notebookDir: string,
  /** Which top-level statements to keep (by position); the rest become blank lines. */
  keep: (statementIndex: number) => boolean = () => true
): TransformedCell {
  const program = parseJavaScript(js, sourceType);
  const code = new MagicString(js);
  const imports: string[] = [];
  const functions = new CellFunctions(js);

  for (const [index, topLevel] of program.body.entries()) {
    if (!keep(index)) {
      blank(code, js, topLevel.start, topLevel.end);
      continue;
    }
    // Notebook cells have nothing to export to: `export const x` is the declaration `const x`, `export default e` is `e`.
    let statement = topLevel;
    if (
      topLevel.type === 'ExportNamedDeclaration' ||
      topLevel.type === 'ExportDefaultDeclaration' ||
      topLevel.type === 'ExportAllDeclaration'
    ) {
      const declaration = topLevel.type === 'ExportAllDeclaration' ? null : topLevel.declaration;
      if (!declaration) {
        blank(code, js, topLevel.start, topLevel.end); // `export { a }`, `export * from ..`
        continue;
      }
      blank(code, js, topLevel.start, declaration.start);
      const named =
        declaration.type === 'VariableDeclaration' ||
        ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id);
      if (named) statement = declaration as (typeof program.body)[number];
    }
    switch (statement.type) {
      case 'VariableDeclaration':
        if (statement.kind === 'const') code.overwrite(statement.start, statement.start + 5, 'var  ');
        else if (statement.kind === 'let') code.overwrite(statement.start, statement.start + 3, 'var');
        break;
      case 'ClassDeclaration':
        if (statement.id) {
          code.appendLeft(statement.start, `var ${statement.id.name} = `);
          code.appendLeft(statement.end, ';');
        }
        break;
      case 'FunctionDeclaration':
        functions.hoist(statement, code);
        break;
      case 'ImportDeclaration': {
        const source = statement.source;
        const specifier = resolveSpecifier(String(source.value), notebookDir);
        const text =
          js.slice(statement.start, source.start) + JSON.stringify(specifier) + js.slice(source.end, statement.end);
        imports.push(text.replace(/\s*\n\s*/g, ' '));
        blank(code, js, statement.start, statement.end);
        break;
      }
      default:
        break;
    }
  }
  rewriteDynamicImports(program, code, notebookDir);
  functions.bind(code);
  return { body: code.toString(), imports };
}

/** A cell's top-level function declarations, renamed to names of the cell's own and bound on its first line. */
class CellFunctions {
  private readonly tag: string;
  private readonly names = new Map<string, string>();

  constructor(js: string) {
    this.tag = createHash('sha256').update(js).digest('hex').slice(0, 8);
  }

  hoist(declaration: FunctionDeclaration, code: MagicString): void {
    const own = `__cellflow_${this.tag}_${declaration.id.name}`;
    code.overwrite(declaration.id.start, declaration.id.end, own);
    this.names.set(declaration.id.name, own);
  }

  /** Before the cell's first statement, on its first line (no line moves); the function keeps its own `name`. */
  bind(code: MagicString): void {
    const bindings = [...this.names].map(
      ([name, own]) => `var ${name} = Object.defineProperty(${own}, 'name', { value: ${JSON.stringify(name)} });`
    );
    if (bindings.length > 0) code.prepend(bindings.join(' ') + ' ');
  }
}

/** Blanks a statement but keeps its newlines, so later lines stay in place. */
function blank(code: MagicString, js: string, start: number, end: number): void {
  if (end > start) code.overwrite(start, end, js.slice(start, end).replace(/[^\n]/g, ' '));
}

/** Relative specifiers resolve from the notebook's folder, not from the generated file's. */
export function resolveSpecifier(specifier: string, notebookDir: string): string {
  return specifier.startsWith('./') || specifier.startsWith('../')
    ? pathToFileURL(resolve(notebookDir, specifier)).href
    : specifier;
}

function rewriteDynamicImports(program: Program, code: MagicString, notebookDir: string): void {
  simple(program, {
    ImportExpression(node) {
      const source = node.source;
      if (source.type !== 'Literal' || typeof source.value !== 'string') return;
      const resolved = resolveSpecifier(source.value, notebookDir);
      if (resolved !== source.value) code.overwrite(source.start, source.end, JSON.stringify(resolved));
    }
  });
}
