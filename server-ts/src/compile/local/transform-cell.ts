/**
 * Rewrites one cell's JavaScript so cells can share one function body the way
 * they share a kernel: top-level `const`/`let` become `var` (so a later cell
 * may declare the same name again, as kernels allow), top-level classes become
 * `var` bindings, and static imports are lifted out to the module's top.
 * Every edit stays on its line, so line numbers still match the notebook.
 */
import { Parser, type Program } from 'acorn';
import { simple } from 'acorn-walk';
import MagicString from 'magic-string';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

export interface TransformedCell {
  /** The cell's code for the shared function body, same line count as the input. */
  body: string;
  /** Static import declarations, lifted to the module top. */
  imports: string[];
}

export function transformCell(js: string, sourceType: 'module' | 'script', notebookDir: string): TransformedCell {
  const program = Parser.parse(js, {
    ecmaVersion: 'latest',
    sourceType,
    allowAwaitOutsideFunction: true,
    allowHashBang: true,
    allowImportExportEverywhere: true
  }) as Program;
  const code = new MagicString(js);
  const imports: string[] = [];

  for (const statement of program.body) {
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
      case 'ImportDeclaration': {
        const source = statement.source;
        const specifier = resolveSpecifier(String(source.value), notebookDir);
        const text = js.slice(statement.start, source.start) + JSON.stringify(specifier) + js.slice(source.end, statement.end);
        imports.push(text.replace(/\s*\n\s*/g, ' '));
        // Blank the declaration but keep its newlines so later lines stay in place.
        code.overwrite(statement.start, statement.end, js.slice(statement.start, statement.end).replace(/[^\n]/g, ' '));
        break;
      }
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
        // Notebook cells have nothing to export to; keep the declaration itself.
        code.remove(statement.start, (statement.declaration ?? statement).start);
        break;
      default:
        break;
    }
  }
  rewriteDynamicImports(program, code, notebookDir);
  return { body: code.toString(), imports };
}

/** Relative specifiers resolve from the notebook's folder, not from the generated file's. */
function resolveSpecifier(specifier: string, notebookDir: string): string {
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
