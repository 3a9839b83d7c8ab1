/**
 * Fuzzing the front of the pipeline: mutated sample notebooks (cells deleted, duplicated, swapped, cut short,
 * with stray brackets and quotes, odd Kale tags) through analysis and the local compiler, and arbitrary JSON
 * through the notebook reader. Each either gives a result or a coded CellflowError, never another exception.
 * Fixed seeds and bounded runs: what fails here fails the same way on the next run.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { compileLocal } from '../../src/compile/local/emit.js';
import { CellflowError, hasErrors } from '../../src/diagnostics/diagnostic.js';
import type { NotebookJson } from '../../src/notebook/nbformat.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { repoRoot, samplesRoot } from '../paths.js';

interface Sample {
  path: string;
  json: NotebookJson;
}

const runSamples = join(samplesRoot, 'run');
const SAMPLES: Sample[] = [
  ...readdirSync(runSamples)
    .filter(f => f.endsWith('.ipynb'))
    .sort()
    .map(f => join(runSamples, f)),
  join(repoRoot, 'examples', 'xor.ipynb')
].map(path => ({ path, json: parseNotebook(readFileSync(path, 'utf8')).json }));

/** Analysis, and compilation when analysis found no errors: a result, or a CellflowError carrying a code. */
function analyzeAndCompile(json: NotebookJson, path: string): void {
  try {
    const analysis = analyzeNotebook(json);
    if (!hasErrors(analysis.ir.diagnostics)) compileLocal(analysis, path);
  } catch (error) {
    assertCoded(error);
  }
}

function assertCoded(error: unknown): void {
  if (error instanceof CellflowError && typeof error.diagnostic.code === 'string' && error.diagnostic.hint) return;
  throw error;
}

// ── Mutations of real notebooks ──

const KALE_PREFIXES = [
  'step:',
  'block:',
  'prev:',
  'limit:memory:',
  'limit:nvidia.com/gpu:',
  'timeout:',
  'retry:',
  'cache:',
  'image:',
  'annotation:',
  'label:'
];

/** Tags a notebook could well have: steps and their links by a few names, so many mutants still compile. */
const stepName = fc.constantFrom('a', 'b', 'load', 'train', 'evaluate', 'step_1');
const usualTag = fc.oneof(
  stepName.map(name => `step:${name}`),
  stepName.map(name => `prev:${name}`),
  fc.constantFrom('imports', 'functions', 'pipeline-parameters', 'pipeline-metrics', 'skip', 'timeout:30', 'retry:1')
);

const oddTag = fc.oneof(
  fc.constantFrom(
    'imports',
    'functions',
    'pipeline-parameters',
    'pipeline-metrics',
    'skip',
    ...KALE_PREFIXES,
    'step:a',
    'prev:a',
    'step:Not A Name',
    'limit:memory:lots',
    'limit:memory:1e400Gi',
    'timeout:-1',
    'timeout:1e400',
    'retry:99999999999999999999',
    'cache:maybe',
    'annotation::',
    'label:a:b:c',
    'unknown-tag',
    ''
  ),
  fc.tuple(fc.constantFrom(...KALE_PREFIXES), fc.string({ maxLength: 8 })).map(([prefix, rest]) => prefix + rest)
);

const tag = fc.oneof({ arbitrary: usualTag, weight: 3 }, { arbitrary: oddTag, weight: 1 });

/** Characters that break code the most: brackets, quotes, template and comment starts, line breaks. */
const noise = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'()[]{}<>\'"`/*\\$;:,.=!?\n#@'.split('')), minLength: 1, maxLength: 6 }),
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.constantFrom('${', '*/', '/*', '//', '=>', 'await ', 'export ', 'import(', 'class ', ':any', ' as const')
);

type Mutation =
  | { op: 'delete' | 'duplicate'; at: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'truncate'; at: number; fraction: number }
  | { op: 'insert'; at: number; fraction: number; text: string }
  | { op: 'tags'; at: number; tags: string[] }
  | { op: 'shuffle-tags'; at: number; other: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
/** Moves of whole cells: the code stays valid, so many of these mutants compile. */
const cellMove: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() })
);

// Structural mutations weigh more than ones that break the code: a mutant that still compiles tests the compiler.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: cellMove, weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('shuffle-tags' as const), at: fc.nat(), other: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ op: fc.constant('tags' as const), at: fc.nat(), tags: fc.array(tag, { maxLength: 3 }) }),
    weight: 2
  },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), fraction }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), fraction, text: noise }), weight: 1 }
);

const sourceOf = (cell: { source: string | string[] }) =>
  Array.isArray(cell.source) ? cell.source.join('') : cell.source;

function mutate(json: NotebookJson, mutations: Mutation[]): NotebookJson {
  const copy = structuredClone(json);
  const cells = copy.cells;
  for (const m of mutations) {
    if (cells.length === 0) break;
    const at = m.at % cells.length;
    const cell = cells[at]!;
    switch (m.op) {
      case 'delete':
        cells.splice(at, 1);
        break;
      case 'duplicate':
        cells.splice(at, 0, structuredClone(cell));
        break;
      case 'swap': {
        const other = m.other % cells.length;
        [cells[at], cells[other]] = [cells[other]!, cell];
        break;
      }
      case 'truncate': {
        const source = sourceOf(cell);
        cell.source = source.slice(0, Math.floor(source.length * m.fraction));
        break;
      }
      case 'insert': {
        const source = sourceOf(cell);
        const point = Math.floor(source.length * m.fraction);
        cell.source = source.slice(0, point) + m.text + source.slice(point);
        break;
      }
      case 'tags':
        cell.metadata = { ...cell.metadata, tags: m.tags };
        break;
      case 'shuffle-tags': {
        const other = cells[m.other % cells.length]!;
        const tags = cell.metadata?.tags;
        cell.metadata = { ...cell.metadata, tags: other.metadata?.tags ?? [] };
        other.metadata = { ...other.metadata, tags: tags ?? [] };
        break;
      }
    }
  }
  return copy;
}

test('analysis and compilation of mutated sample notebooks never throw anything but a coded error', () => {
  const input = fc.record({
    sample: fc.nat({ max: SAMPLES.length - 1 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 4 })
  });
  fc.assert(
    fc.property(input, ({ sample, mutations }) => {
      const { json, path } = SAMPLES[sample]!;
      analyzeAndCompile(mutate(json, mutations), path);
    }),
    { seed: 20261202, numRuns: 200 }
  );
});

test('sample notebooks with cells moved, deleted or duplicated analyze and compile or give a coded error', () => {
  const input = fc.record({
    sample: fc.nat({ max: SAMPLES.length - 1 }),
    mutations: fc.array(cellMove, { minLength: 1, maxLength: 2 })
  });
  fc.assert(
    fc.property(input, ({ sample, mutations }) => {
      const { json, path } = SAMPLES[sample]!;
      analyzeAndCompile(mutate(json, mutations), path);
    }),
    { seed: 11, numRuns: 200 }
  );
});

test('every sample notebook with every cell tagged at random analyzes and compiles or gives a coded error', () => {
  const input = fc.record({
    sample: fc.nat({ max: SAMPLES.length - 1 }),
    tags: fc.array(fc.array(tag, { maxLength: 3 }), { minLength: 1, maxLength: 30 })
  });
  fc.assert(
    fc.property(input, ({ sample, tags }) => {
      const { json, path } = SAMPLES[sample]!;
      const copy = structuredClone(json);
      copy.cells.forEach((cell, i) => (cell.metadata = { ...cell.metadata, tags: tags[i % tags.length]! }));
      analyzeAndCompile(copy, path);
    }),
    { seed: 7, numRuns: 200 }
  );
});

// ── Arbitrary JSON through the reader ──

/** Values of every JSON type, where the reader expects a cell, a source, metadata or tags. */
const anything = fc.jsonValue({ maxDepth: 3 });
const cellShape = fc.oneof(
  anything,
  fc.record(
    {
      cell_type: fc.oneof(fc.constantFrom('code', 'markdown', 'raw', 'heading'), anything),
      source: fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), anything),
      metadata: fc.oneof(
        fc.record({ tags: fc.oneof(fc.array(tag, { maxLength: 3 }), anything) }, { requiredKeys: [] }),
        anything
      ),
      outputs: anything,
      execution_count: anything
    },
    { requiredKeys: [] }
  )
);
const notebookShape = fc.oneof(
  anything,
  fc.record(
    {
      nbformat: fc.oneof(fc.constantFrom(1, 2, 3, 4, 5), anything),
      nbformat_minor: anything,
      metadata: fc.oneof(
        fc.record(
          {
            kernelspec: fc.oneof(
              fc.record({ name: fc.constantFrom('tslab', 'deno', 'javascript', 'python3'), language: anything }),
              anything
            ),
            language_info: anything,
            kubeflow_notebook: anything,
            cellflow: anything
          },
          { requiredKeys: [] }
        ),
        anything
      ),
      cells: fc.oneof(fc.array(cellShape, { maxLength: 5 }), anything),
      worksheets: fc.oneof(fc.array(fc.record({ cells: fc.array(cellShape, { maxLength: 3 }) })), anything)
    },
    { requiredKeys: [] }
  )
);

test('the reader gives a notebook or a coded error for any JSON, and what it gives analyzes', () => {
  fc.assert(
    fc.property(notebookShape, shape => {
      let json: NotebookJson;
      try {
        json = parseNotebook(JSON.stringify(shape) ?? 'undefined').json;
      } catch (error) {
        assertCoded(error);
        return;
      }
      analyzeAndCompile(json, join(runSamples, 'fuzzed.ipynb'));
    }),
    { seed: 42, numRuns: 200 }
  );
});

test('sample notebooks with notebook and cell metadata of any shape go through the reader and analysis', () => {
  const settings = fc.record(
    {
      steps_defaults: fc.oneof(fc.array(tag, { maxLength: 3 }), anything),
      enable_caching: anything,
      docker_image: anything,
      base_image: anything,
      volumes: anything,
      katib_metadata: anything,
      pipeline_name: anything
    },
    { requiredKeys: [] }
  );
  const metadata = fc.record(
    {
      kernelspec: fc.oneof(
        fc.record({ name: fc.constantFrom('tslab', 'deno', 'javascript', 'python3', ''), language: anything }),
        anything
      ),
      language_info: fc.oneof(fc.record({ name: fc.constantFrom('typescript', 'javascript', 'python') }), anything),
      kubeflow_notebook: fc.oneof(settings, anything),
      cellflow: fc.oneof(settings, anything)
    },
    { requiredKeys: [] }
  );
  const input = fc.record({
    sample: fc.nat({ max: SAMPLES.length - 1 }),
    metadata,
    cellMetadata: fc.array(fc.dictionary(fc.constantFrom('tags', 'collapsed', 'jupyter', 'kale'), anything), {
      maxLength: 4
    })
  });
  fc.assert(
    fc.property(input, ({ sample, metadata, cellMetadata }) => {
      const { json, path } = SAMPLES[sample]!;
      const copy = structuredClone(json) as unknown as Record<string, any>;
      copy.metadata = metadata;
      cellMetadata.forEach((extra, i) => {
        const cell = copy.cells[i % copy.cells.length];
        if (cell) cell.metadata = { ...cell.metadata, ...extra };
      });
      let read: NotebookJson;
      try {
        read = parseNotebook(JSON.stringify(copy)).json;
      } catch (error) {
        assertCoded(error);
        return;
      }
      analyzeAndCompile(read, path);
    }),
    { seed: 5, numRuns: 200 }
  );
});

test('the reader gives a coded error for text that is not JSON', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), text => {
      try {
        parseNotebook(text);
      } catch (error) {
        assertCoded(error);
        return;
      }
      assert.doesNotThrow(() => JSON.parse(text), 'only JSON text reads as a notebook');
    }),
    { seed: 3, numRuns: 200 }
  );
});
