/**
 * The analyzed code must be the code that runs. Analysis parses the cell with
 * oxc and erases types itself; the compiler runs sucrase's JavaScript
 * (`CellFacts.js`) parsed by acorn. Both trees go through the same fact
 * extraction (eslint-scope and the visitors), and must give the same facts:
 * for every golden sample cell, every run-corpus cell, and generated cells.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Parser, type Node as AcornNode } from 'acorn';
import { full } from 'acorn-walk';
import type { Node, Program } from 'estree';
import fc from 'fast-check';
import { analyzeCell, factsOfProgram, NodeFacts, type CellFacts } from '../../src/analyze/cell-facts.js';
import { positionsIn } from '../../src/analyze/source.js';
import { ACORN_OPTIONS } from '../../src/compile/local/parse-javascript.js';
import type { Language } from '../../src/ir.js';
import { detectLanguage } from '../../src/notebook/language.js';
import { cellSource, type NotebookJson } from '../../src/notebook/nbformat.js';
import { repoRoot, samplesRoot } from '../paths.js';

type Facts = Omit<CellFacts, 'js' | 'namespaces' | 'parseError'>;

/** The facts of the compiled JavaScript, from acorn's tree. */
function compiledFacts(js: string, sourceType: 'module' | 'script'): Facts {
  const program = Parser.parse(js, { ...ACORN_OPTIONS, sourceType, ranges: true });
  const collected = new NodeFacts();
  full(program, (node: AcornNode) => collected.visit(node as unknown as Node));
  return factsOfProgram(program as unknown as Program, sourceType, positionsIn(js), collected);
}

/** Everything but positions (sucrase may move columns): names, kinds, flags. */
function comparable(facts: Facts): Record<string, unknown> {
  const names = (sites: ReadonlyArray<{ name: string }>) => sites.map(s => s.name).sort();
  const entries = (record: Record<string, unknown[]>) =>
    Object.entries(record)
      .map(([k, v]) => `${k}: ${[...v].map(String).sort().join(',')}`)
      .sort();
  return {
    defines: facts.defines
      .map(d =>
        [
          d.name,
          d.kind,
          d.how,
          d.inFunction,
          d.maybe,
          d.instanceOf ?? '',
          d.origin?.what ?? '',
          d.origin?.via ?? ''
        ].join(':')
      )
      .sort(),
    reads: names(facts.reads),
    keeps: facts.keeps.map(k => `${k.name}${k.maybe ? '?' : ''}`).sort(),
    topLevelReads: names(facts.topLevelReads),
    uses: entries(facts.uses),
    writes: entries(facts.writes),
    calls: facts.calls.map(c => `${c.name}(${c.args.join(',')})`).sort(),
    mutatesArguments: entries(facts.mutatesArguments),
    asyncFunctions: [...facts.asyncFunctions].sort(),
    generatorFunctions: [...facts.generatorFunctions].sort(),
    classes: Object.entries(facts.classes)
      .map(
        ([name, c]) =>
          `${name}:${c.extends}:${c.unmarshallable?.feature ?? ''}:${entries({ m: Object.entries(c.methods).map(String) })}`
      )
      .sort(),
    methodCalls: facts.methodCalls.map(m => `${m.name}.${m.method}`).sort(),
    minimizes: names(facts.minimizes)
  };
}

/** Analysis and compiled facts of one cell, or undefined when the cell does not parse (both sides refuse it then). */
function bothWays(source: string, language: Language): { analyzed: unknown; compiled: unknown } | undefined {
  const facts = analyzeCell(source, language);
  if (facts.parseError) return undefined;
  let compiled: unknown;
  try {
    compiled = comparable(compiledFacts(facts.js, facts.sourceType));
  } catch (error) {
    compiled = { error: String(error) }; // analysis accepted what the compiler cannot parse
  }
  return { analyzed: comparable(facts), compiled };
}

function notebookCells(path: string): Array<{ source: string; language: Language; where: string }> {
  const notebook = JSON.parse(readFileSync(path, 'utf8')) as NotebookJson;
  let language: Language;
  try {
    language = detectLanguage(notebook).language;
  } catch {
    return []; // Python or unknown kernels: refused before analysis
  }
  return notebook.cells.flatMap((cell, index) =>
    cell.cell_type === 'code' ? [{ source: cellSource(cell), language, where: `${path} cell ${index}` }] : []
  );
}

function corpus(): Array<{ source: string; language: Language; where: string }> {
  const analyzeRoot = join(samplesRoot, 'analyze');
  const runRoot = join(samplesRoot, 'run');
  const paths = [
    ...readdirSync(analyzeRoot)
      .map(name => join(analyzeRoot, name, 'input.ipynb'))
      .filter(path => existsSync(path)),
    ...readdirSync(runRoot)
      .filter(name => name.endsWith('.ipynb'))
      .map(name => join(runRoot, name)),
    join(repoRoot, 'examples/xor.ipynb')
  ];
  return paths.flatMap(path => {
    try {
      return notebookCells(path);
    } catch {
      return []; // malformed notebooks are samples of refusals
    }
  });
}

test('every sample and corpus cell has the same facts analyzed and compiled', () => {
  const cells = corpus();
  assert.ok(cells.length > 200, `only ${cells.length} cells`);
  for (const { source, language, where } of cells) {
    const both = bothWays(source, language);
    if (both) assert.deepEqual(both.compiled, both.analyzed, `${where}:\n${source}`);
  }
});

// Generated cells: small programs over a few names, with the constructs analysis treats specially.
const name = fc.constantFrom('a', 'b', 'rows', 'cfg', 'n');
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>(tie => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', "'s'", '[]', '{}', 'new Float32Array(4)'),
    name,
    fc
      .tuple(name, fc.constantFrom('.length', '[0]', '?.x', '.map(v => v)', '.get(1)', '.slice()'))
      .map(([n, s]) => n + s),
    fc.tuple(name, tie('e')).map(([n, e]) => `${n} ?? ${e}`),
    fc.tuple(name, name, tie('e')).map(([c, n, e]) => `${c} ? ${n} : ${e}`),
    fc.tuple(name, name, tie('e')).map(([c, n, e]) => `${c} && (${n} = ${e})`),
    fc.tuple(name, tie('e')).map(([n, e]) => `f(${n}, ${e})`),
    fc.constantFrom('fetch(1)', 'new WeakMap()', 'g.bind(null)', 'new Promise(r => r(1))', 'gen()', 'asyncFn()')
  )
})).e;

const statement: fc.Arbitrary<string> = fc.letrec<{ s: string; block: string }>(tie => ({
  block: fc.array(tie('s'), { maxLength: 3 }).map(body => `{ ${body.join(' ')} }`),
  s: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(name, expression).map(([n, e]) => `${n} = ${e};`),
    fc.tuple(name, expression).map(([n, e]) => `${n}.push(${e});`),
    fc.tuple(name, expression).map(([n, e]) => `${n}.k = ${e};`),
    name.map(n => `${n}.count++;`),
    name.map(n => `delete ${n}.k;`),
    fc.tuple(name, name).map(([n, m]) => `Array.prototype.push.call(${n}, ${m});`),
    fc.tuple(name, name).map(([n, m]) => `${n}.push.apply(${n}, [${m}]);`),
    fc.tuple(name, name).map(([n, m]) => `Reflect.set(${n}, 'k', ${m});`),
    fc.tuple(name, name).map(([n, m]) => `Object.assign(${n}, { m: ${m} });`),
    name.map(n => `Atomics.add(${n}, 0, 1);`),
    name.map(n => `${n}['push'](1);`),
    fc.tuple(name, name).map(([n, m]) => `${n}[${m}](1);`),
    name.map(n => `${n}.forEach(clamp);`),
    name.map(n => `clamp.call(null, ${n});`),
    name.map(n => `Reflect.apply(clamp, null, [${n}]);`),
    name.map(n => `opt.minimize(() => ${n}.sum());`),
    name.map(n => `{ const view = ${n}.subarray(0, 1); view[0] = 1; }`),
    name.map(n => `for (const item of ${n}) item.seen = true;`),
    fc.tuple(name, tie('block'), tie('block')).map(([c, t, e]) => `if (${c}) ${t} else ${e}`),
    fc.tuple(name, tie('block')).map(([n, b]) => `for (const x of ${n}) ${b}`),
    fc.tuple(tie('block')).map(([b]) => `for (let i = 0; i < 2; i++) ${b}`),
    fc.tuple(name, tie('block')).map(([c, b]) => `while (${c}) { ${b} break; }`),
    fc.tuple(tie('block'), tie('block'), tie('block')).map(([t, c, f]) => `try ${t} catch (e) ${c} finally ${f}`),
    fc.tuple(name, tie('block')).map(([c, b]) => `switch (${c}) { case 1: ${b} break; default: }`),
    fc.tuple(name, tie('block')).map(([n, b]) => `function h${n}(p, q) { p.push(q); ${b} }`),
    fc.tuple(expression).map(([e]) => `console.log(${e});`)
  )
})).s;

/** A cell: a few statements, then (once each, so nothing is declared twice) declarations of some of the names. */
const cell = fc
  .tuple(
    fc.array(statement, { maxLength: 5 }),
    fc.subarray(['a', 'b', 'rows', 'cfg', 'n']),
    fc.constantFrom('let', 'const', 'var', 'var-bare', 'let-bare'),
    fc.array(fc.constantFrom(...CLASS_AND_FUNCTION_SNIPPETS()), { maxLength: 2 })
  )
  .map(([body, declared, kind, extras]) => {
    const declarations = declared.map(n =>
      kind === 'var-bare' ? `var ${n};` : kind === 'let-bare' ? `let ${n};` : `${kind} ${n} = [];`
    );
    return [...declarations, ...body, ...new Set(extras)].join('\n');
  });

function CLASS_AND_FUNCTION_SNIPPETS(): string[] {
  return [
    'class Counter { n = 0; get() { return this.n; } bump() { this.n++; } }',
    'class Secret { #k = 1; peek() { return this.#k; } }',
    'class Box { get size() { return 1; } }',
    'const counter = new Counter();\ncounter.get();',
    'function* gen() { yield 1; }',
    'async function asyncFn() { return 1; }',
    'function clamp(v) { v.x = 0; }',
    'const stream = http.createServer();'
  ];
}

/** TypeScript on top of a JavaScript cell: annotations, assertions, enums and type-only declarations. */
const typedCell = fc
  .tuple(
    cell,
    fc.array(
      fc.constantFrom(
        'type T = number;',
        'interface I { x: number }',
        'enum Color { Red, Green = Red + 2 }',
        'const enum Flag { On = 1 }',
        'export enum Dir { Up }',
        'namespace Types { export type U = string }',
        'declare const ambient: number;',
        'let typed: number[] = [];',
        'let definite!: number;',
        '(typed as number[]).push(1);',
        'typed!.length;',
        'function annotated(this: unknown, p: number[]): void { p.push(1); }',
        'class Point { constructor(public x: number, private y = 2) {} norm(): number { return this.x; } }',
        'const sure = <number[]>typed;'
      ),
      { maxLength: 4 }
    )
  )
  .map(([js, ts]) => [...new Set(ts), js].join('\n'));

test('generated JavaScript cells have the same facts analyzed and compiled', () => {
  let compared = 0;
  fc.assert(
    fc.property(cell, source => {
      const both = bothWays(source, 'javascript');
      if (both) assert.deepEqual(both.compiled, both.analyzed);
      if (both) compared++;
    }),
    { numRuns: 300, seed: 6 }
  );
  assert.ok(compared > 200, `only ${compared} of 300 generated cells parse`);
});

test('generated TypeScript cells have the same facts analyzed and compiled', () => {
  let compared = 0;
  fc.assert(
    fc.property(typedCell, source => {
      const both = bothWays(source, 'typescript');
      if (both) assert.deepEqual(both.compiled, both.analyzed);
      if (both) compared++;
    }),
    { numRuns: 300, seed: 6 }
  );
  assert.ok(compared > 200, `only ${compared} of 300 generated cells parse`);
});
