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
import type { FunctionDeclaration, ImportAttribute, ImportDeclaration, Program } from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import { parseJavaScript } from './parse-javascript.js';
import { sourceText } from './source-text.js';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export interface TransformedCell {
  /** The cell's code for the shared function body, same line count as the input. */
  body: string;
  /** Static import declarations, lifted to the module top. */
  imports: string[];
}

export interface CellTransformOptions {
  /** Which top-level statements to keep (by position); the rest become blank lines. */
  keep?: (statementIndex: number) => boolean;
  /** Import bindings to leave out: used only as types (see `erasedImports`). */
  erased?: ReadonlySet<string>;
  /** Modules the kernel provides (`tslab`), by specifier: the step imports cellflow's own in their place. */
  provided?: ReadonlyMap<string, string>;
  /** The function that shows a cell's result: the last expression statement's value goes to it, as kernels show it. */
  showResult?: string;
}

export function transformCell(
  js: string,
  sourceType: 'module' | 'script',
  notebookDir: string,
  options: CellTransformOptions = {}
): TransformedCell {
  const { keep = () => true, erased = new Set<string>(), provided = new Map<string, string>() } = options;
  const resolveFor = (specifier: string) => provided.get(specifier) ?? resolveSpecifier(specifier, notebookDir);
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
        const specifier = resolveFor(String(statement.source.value));
        imports.push(...importBindings(statement, specifier, erased));
        blank(code, js, statement.start, statement.end);
        break;
      }
      default:
        break;
    }
  }
  // Only in statements the step keeps: a blanked one has nothing left to rewrite.
  for (const [index, statement] of program.body.entries()) {
    if (keep(index)) rewriteDynamicImports(statement, code, resolveFor);
  }
  const last = program.body.at(-1);
  if (
    options.showResult &&
    last?.type === 'ExpressionStatement' &&
    !('directive' in last) &&
    keep(program.body.length - 1)
  ) {
    // Same line, same columns for what follows: the call wraps the expression in place.
    code.prependLeft(last.expression.start, `${options.showResult}((`);
    code.appendRight(last.expression.end, '))');
  }
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

function rewriteDynamicImports(
  statement: Program['body'][number],
  code: MagicString,
  resolveFor: (specifier: string) => string
): void {
  simple(statement as Parameters<typeof simple>[0], {
    ImportExpression(node) {
      const source = node.source;
      if (source.type !== 'Literal' || typeof source.value !== 'string') return;
      const resolved = resolveFor(source.value);
      if (resolved !== source.value) code.overwrite(source.start, source.end, JSON.stringify(resolved));
    }
  });
}

/**
 * An import written again from its tree, one statement per binding: comments and line breaks inside the
 * original (`import {\n  a, // why\n} from ..`) cannot break the one-line statement, and two cells of a
 * step that import the same name give the same statement, kept once.
 */
function importBindings(statement: ImportDeclaration, specifier: string, erased: ReadonlySet<string>): string[] {
  const from = `${sourceText(specifier)}${importAttributes(statement)}`;
  if (statement.specifiers.length === 0) return [`import ${from};`];
  // As TypeScript emits it: an import whose every binding is erased is not loaded at all.
  return statement.specifiers
    .filter(binding => !erased.has(binding.local.name))
    .map(binding => {
      const local = binding.local.name;
      switch (binding.type) {
        case 'ImportDefaultSpecifier':
          return `import ${local} from ${from};`;
        case 'ImportNamespaceSpecifier':
          return `import * as ${local} from ${from};`;
        default: {
          const imported =
            binding.imported.type === 'Identifier' ? binding.imported.name : sourceText(String(binding.imported.value));
          return `import { ${imported === local ? local : `${imported} as ${local}`} } from ${from};`;
        }
      }
    });
}

/**
 * Import bindings no cell uses as a value (types erased): TypeScript drops them from what it emits, and tslab
 * with it, so a type-only name in a value import (`import { area, Shape } from './shapes'`) loads as in the
 * kernel rather than failing to link.
 */
export function erasedImports(
  facts: Iterable<{ unreferencedImports: string[]; reads: { name: string }[] }>
): Set<string> {
  const all = [...facts];
  const read = new Set(all.flatMap(f => f.reads.map(r => r.name)));
  return new Set(all.flatMap(f => f.unreferencedImports).filter(name => !read.has(name)));
}

function importAttributes(statement: ImportDeclaration): string {
  const attributes = (statement as ImportDeclaration & { attributes?: ImportAttribute[] }).attributes ?? [];
  if (attributes.length === 0) return '';
  const entries = attributes.map(a => {
    const key = a.key.type === 'Identifier' ? a.key.name : sourceText(String(a.key.value));
    return `${key}: ${sourceText(String(a.value.value))}`;
  });
  return ` with { ${entries.join(', ')} }`;
}
