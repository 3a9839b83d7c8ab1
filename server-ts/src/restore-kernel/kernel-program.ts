/**
 * "Restore state" for tslab and jslab as one JavaScript program the loader runs: the prelude cells, the saved
 * values loaded, the cells to replay, then every name they define handed back for the kernel cell to bind.
 * tslab type-checks each cell it runs, and the prelude's types (tfjs', vega's: some 1,500 declaration files) cost
 * it seconds; run as this program, the kernel checks only a few `let name: any` lines. The program is the cells'
 * own code as tslab compiles it (types erased by sucrase, imports as `require`, `import()` as a `require` in a
 * promise, so `import('tslab')` goes through the kernel's `require` and gets tslab's display), in one function.
 */
import { createRequire } from 'node:module';
import { parseSync } from 'oxc-parser';
import { analyzeCell } from '../analyze/cell-facts.js';
import type { Language } from '../ir.js';
import { erasedImports } from '../compile/local/transform-cell.js';
import { restoreKernelError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';

type Transform = typeof import('sucrase').transform;
const require = createRequire(import.meta.url);
let transform: Transform | undefined;

/** A type name the kernel cell declares as `any`, with the type parameters it takes. */
export interface TypeName {
  name: string;
  params: number;
}

export interface KernelProgram {
  /** The program's body, run by the loader's `runRestore` inside an async function of `(require, $cellflow)`. */
  js: string;
  /** Every value name the program hands back: prelude definitions, restored values, replayed names. */
  names: string[];
  /** Types the prelude declares or imports (interfaces, aliases, classes, enums, imported names), for tslab. */
  types: TypeName[];
}

export interface KernelProgramInput {
  /** Every cell's source by index (non-code cells empty). */
  sources: readonly string[];
  language: Language;
  prelude: readonly number[];
  /** The saved values, in the order `loadState` gets them. */
  values: readonly string[];
  replay: { cells: readonly number[]; names: readonly string[] };
  /** The classes and functions the values' manifests need from the prelude. */
  needs: { classes: readonly string[]; functions: readonly string[] };
}

/** An imported name may be a generic type: this many optional type parameters cover tfjs' and most libraries'. */
const IMPORTED_TYPE_PARAMS = 4;

export function kernelProgram(input: KernelProgramInput): KernelProgram {
  const { sources, language, prelude, values, replay, needs } = input;
  const facts = new Map(prelude.map(cell => [cell, analyzeCell(sources[cell]!, language)]));
  // As the compiler does: an import no cell uses as a value is a type, which TypeScript (and so tslab) erases.
  // Whether another cell reads it as a value needs the other cells' facts, so they are analyzed only then.
  const unreferenced = [...facts.values()].some(f => f.unreferencedImports.length > 0);
  const others = unreferenced
    ? sources.flatMap((source, cell) => (facts.has(cell) || !source.trim() ? [] : [cell]))
    : [];
  const erased = erasedImports([...facts.values(), ...others.map(cell => analyzeCell(sources[cell]!, language))]);
  const preludeNames = unique(
    prelude.flatMap(cell =>
      (facts.get(cell)?.defines ?? []).filter(d => d.how === 'declare' && !erased.has(d.name)).map(d => d.name)
    )
  );
  const names = unique([...preludeNames, ...values, ...replay.names]);
  const source = [
    ...prelude.map(cell => `// cell ${cell + 1}\n${sources[cell]}`),
    // One statement on one line, so the cells to replay keep their lines.
    `const { ${values.join(', ')} } = await $cellflow.load({ classes: ${definitions(needs.classes)}, functions: ${definitions(needs.functions)} });`,
    ...replay.cells.map(cell => `// cell ${cell + 1}\n${sources[cell]}`),
    `$cellflow.bind({ ${names.join(', ')} });`,
    ''
  ].join('\n');
  const types = language === 'typescript' ? unique(prelude.flatMap(cell => typeNames(sources[cell]!))) : [];
  let js: string;
  try {
    js = compile(source, language);
  } catch {
    throw unparsable(sources, [...prelude, ...replay.cells], language);
  }
  return { js, names, types };
}

function compile(source: string, language: Language): string {
  transform ??= (require('sucrase') as { transform: Transform }).transform;
  const code = transformed(source, language);
  // tslab runs cells in sloppy mode (TypeScript's `noImplicitUseStrict`); sucrase's CommonJS output opens strict.
  return code.replace(/^"use strict";/, '');
}

/** sucrase's CommonJS output, or (cells with JSX, tslab's `.tsx` style) with JSX lowered as tslab does it. */
function transformed(source: string, language: Language): string {
  const transforms: Transforms = language === 'typescript' ? ['typescript', 'imports'] : ['imports'];
  try {
    return transform!(source, { transforms, disableESTransforms: true }).code;
  } catch {
    return transform!(source, { transforms: [...transforms, 'jsx'], disableESTransforms: true, production: true }).code;
  }
}

type Transforms = Parameters<Transform>[1]['transforms'];

/** The first of the cells that does not compile on its own, said as a coded error (the joined program did not). */
function unparsable(sources: readonly string[], cells: readonly number[], language: Language): CellflowError {
  for (const cell of cells) {
    try {
      transformed(sources[cell]!, language);
    } catch (error) {
      return new CellflowError(restoreKernelError.cellUnparsable(cell + 1, (error as Error).message));
    }
  }
  return new CellflowError(restoreKernelError.cellUnparsable(cells[0]! + 1, 'the cells do not compile together'));
}

/** `{ Foo: typeof Foo === 'undefined' ? undefined : Foo }`: the prelude's definitions, absent ones left out. */
export function definitions(names: readonly string[]): string {
  if (names.length === 0) return '{}';
  return `{ ${names.map(name => `${name}: typeof ${name} === 'undefined' ? undefined : ${name}`).join(', ')} }`;
}

/** The type names a TypeScript prelude cell declares at top level (a cell that does not parse declares none). */
function typeNames(source: string): TypeName[] {
  let body: { type: string; [key: string]: unknown }[];
  try {
    body = parseSync('cell.ts', source).program.body as never;
  } catch {
    return [];
  }
  const out: TypeName[] = [];
  for (const top of body) {
    const statement = (top.type === 'ExportNamedDeclaration' && top.declaration ? top.declaration : top) as {
      type: string;
      id?: { name?: string } | null;
      typeParameters?: { params: unknown[] } | null;
      specifiers?: { type: string; local: { name: string } }[];
    };
    switch (statement.type) {
      case 'TSInterfaceDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'ClassDeclaration':
      case 'TSEnumDeclaration':
        if (statement.id?.name)
          out.push({ name: statement.id.name, params: statement.typeParameters?.params.length ?? 0 });
        break;
      case 'ImportDeclaration':
        // A namespace import is a namespace of types, which `any` cannot stand for: left out.
        for (const specifier of statement.specifiers ?? []) {
          if (specifier.type !== 'ImportNamespaceSpecifier') {
            out.push({ name: specifier.local.name, params: IMPORTED_TYPE_PARAMS });
          }
        }
        break;
    }
  }
  return out;
}

function unique<T extends string | TypeName>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const key = typeof item === 'string' ? item : item.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
