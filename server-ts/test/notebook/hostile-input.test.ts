/**
 * Hostile input (issue 7, items 6 and 7): names that are Object.prototype keys, files that are not
 * files, parameter values JSON cannot carry, and nbformat 3 notebooks. Each is read exactly or
 * refused with a coded error; none hangs or crashes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { readCellAnnotation } from '../../src/annotations/tags.js';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { parseParameterOverrides, resolveParameterValues } from '../../src/engine/parameter-values.js';
import type { Parameter } from '../../src/ir.js';
import { NOTEBOOK_SIZE_LIMIT, readNotebookFile, writeNotebookFile } from '../../src/notebook/file.js';
import { detectLanguage } from '../../src/notebook/language.js';
import { cellSource, type NotebookJson } from '../../src/notebook/nbformat.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, notebookJson, writeNotebook } from '../notebooks.js';
import { samplesRoot } from '../paths.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CellflowError) return error.diagnostic.code;
    throw error;
  }
  assert.fail('expected a coded error');
}

async function codeOfAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CellflowError) return error.diagnostic.code;
    throw error;
  }
  assert.fail('expected a coded error');
}

const OBJECT_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];

test('a kernel or language named like an Object.prototype key is an unknown language', () => {
  for (const name of OBJECT_KEYS) {
    const byKernel = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name } }, cells: [] };
    const byLanguage = { nbformat: 4, nbformat_minor: 5, metadata: { language_info: { name } }, cells: [] };
    for (const notebook of [byKernel, byLanguage])
      assert.equal(
        codeOf(() => detectLanguage(notebook as NotebookJson)),
        'notebook-unknown-language',
        name
      );
  }
});

test('tags and settings keyed by Object.prototype names are plain keys', () => {
  const { annotation, diagnostics } = readCellAnnotation(
    ['step:a', 'limit:__proto__:1', 'label:constructor:x', 'annotation:toString:y', '__proto__', 'constructor:z'],
    0
  );
  assert.deepEqual(diagnostics, []);
  assert.equal(annotation.settings.limits?.['__proto__'], '1');
  assert.ok(Object.hasOwn(annotation.settings.limits!, '__proto__'));
  assert.deepEqual(Object.getPrototypeOf(annotation.settings.limits), Object.prototype);
  assert.equal(annotation.settings.labels?.constructor, 'x');
  assert.equal(annotation.settings.annotations?.toString, 'y');
});

test('notebook settings and cell code named like Object.prototype keys analyze', () => {
  const json = notebookJson([
    [['step:a'], 'const constructor = { assign: (t: object) => t };\nconst cfg = {};\nconstructor.assign(cfg);'],
    [['step:b'], 'console.log(cfg);']
  ]) as unknown as NotebookJson;
  json.metadata.cellflow = JSON.parse('{"__proto__": {"pipeline_name": "polluted"}, "constructor": 1}');
  const { ir } = analyzeNotebook(json);
  assert.notEqual(ir.settings.pipeline_name, 'polluted');
  assert.deepEqual(
    ir.steps.map(s => s.name),
    ['a', 'b']
  );
});

test('a FIFO, a device or a folder as the notebook: refused at once, not read', async () => {
  const dir = makeWorkspace('hostile-');
  const fifo = join(dir, 'pipe.ipynb');
  execFileSync('mkfifo', [fifo]);
  const folder = join(dir, 'folder.ipynb');
  mkdirSync(folder);
  for (const path of [fifo, '/dev/zero', '/dev/null', folder])
    assert.equal(await codeOfAsync(() => readNotebookFile(path)), 'notebook-not-a-file', path);

  // Through the CLI: one coded error, exit 2 (a hang would fail the test by its own timeout).
  const result = cli(['analyze', fifo, '--json']);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(JSON.parse(result.stdout).error.code, 'notebook-not-a-file');
});

test('a notebook over the size limit is refused before it is read', async () => {
  const dir = makeWorkspace('hostile-');
  const path = join(dir, 'huge.ipynb');
  writeFileSync(path, '');
  truncateSync(path, NOTEBOOK_SIZE_LIMIT + 1); // sparse: no disk used
  assert.equal(await codeOfAsync(() => readNotebookFile(path)), 'notebook-too-large');
  const small = writeNotebook(dir, 'small.ipynb', [[['step:a'], 'const a = 1;']]);
  assert.equal((await readNotebookFile(small)).json.cells.length, 1);
});

const parameter = (name: string, def: number): Parameter => ({
  name,
  type: 'number',
  default: def,
  cellIndex: 0,
  line: 1
});

test('--param numbers JSON cannot carry exactly are refused; others are carried', () => {
  const parameters = [parameter('rate', 0.5)];
  for (const text of ['1e309', '-1e309', 'Infinity', '-Infinity', 'NaN', '-0', '-0.0', '0x', '']) {
    const overrides = parseParameterOverrides([`rate=${text}`]);
    assert.equal(
      codeOf(() => resolveParameterValues(parameters, overrides)),
      'bad-parameter-value',
      text
    );
  }
  for (const value of [Infinity, NaN, -0])
    assert.equal(
      codeOf(() => resolveParameterValues(parameters, { rate: value })),
      'bad-parameter-value'
    );
  for (const [text, value] of [
    ['0', 0],
    ['-1.5', -1.5],
    ['1e308', 1e308],
    ['5e-324', 5e-324]
  ] as const) {
    const carried = resolveParameterValues(parameters, parseParameterOverrides([`rate=${text}`])).rate;
    assert.ok(Object.is(carried, value), text);
    assert.ok(Object.is(JSON.parse(JSON.stringify(carried)), value), `${text} survives JSON`);
  }
});

test('--param __proto__ or constructor is an unknown parameter, not a prototype write', () => {
  const parameters = [parameter('rate', 0.5)];
  for (const name of ['__proto__', 'constructor'])
    assert.equal(
      codeOf(() => resolveParameterValues(parameters, parseParameterOverrides([`${name}=1`]))),
      'unknown-parameter',
      name
    );
});

test('parameter defaults JSON cannot carry exactly are refused at analysis, with cell and line', () => {
  for (const literal of ['1e309', '-1e309', '-0', '-0.0']) {
    const json = notebookJson([
      [['pipeline-parameters'], `const ok = 1;\nconst rate = ${literal};`],
      [['step:a'], 'console.log(rate);']
    ]) as unknown as NotebookJson;
    const { ir } = analyzeNotebook(json);
    const refusal = ir.diagnostics.find(d => d.code === 'invalid-parameter');
    assert.ok(refusal, literal);
    assert.equal(refusal.cellIndex, 0);
    assert.equal(refusal.line, 2);
    assert.match(refusal.message, /`rate`/);
    assert.deepEqual(
      ir.parameters.map(p => p.name),
      ['ok']
    );
  }
});

test('nbformat 3 is upgraded in memory as nbformat.v4.upgrade does', () => {
  const text = readFileSync(join(samplesRoot, 'analyze', 'nbformat-3-upgraded', 'input.ipynb'), 'utf8');
  const before = JSON.parse(text);
  const doc = parseNotebook(text);
  assert.equal(doc.upgradedFrom, 3);
  const nb = doc.json;
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.worksheets, undefined);
  assert.deepEqual(nb.metadata, { orig_nbformat: 3, orig_nbformat_minor: 0, language_info: { name: 'javascript' } });
  assert.equal(nb.cells.length, 3, 'both worksheets flattened');
  const [heading, load, use] = nb.cells;
  assert.deepEqual(heading, { cell_type: 'markdown', metadata: {}, source: '## Load the data' });
  assert.equal(cellSource(load), 'const x = 1;');
  assert.equal(load.execution_count, 1);
  assert.equal(load.input, undefined);
  assert.equal(load.prompt_number, undefined);
  assert.equal(load.language, undefined);
  assert.deepEqual(load.metadata, { tags: ['step:load'], collapsed: false });
  assert.deepEqual(load.outputs, [
    { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': ['1'] } }
  ]);
  assert.deepEqual(use.outputs, [{ output_type: 'stream', name: 'stdout', text: '2\n' }]);
  assert.equal(use.metadata.collapsed, true);
  assert.deepEqual(JSON.parse(text), before, 'the text is untouched');
  assert.deepEqual(detectLanguage(nb), { language: 'javascript', kernel: 'javascript' });
});

test('nbformat 3 without worksheets, and nbformat 2, are refused', () => {
  assert.equal(
    codeOf(() => parseNotebook('{"nbformat": 3, "metadata": {}}')),
    'notebook-invalid'
  );
  assert.equal(
    codeOf(() => parseNotebook('{"nbformat": 2, "worksheets": []}')),
    'notebook-unsupported-nbformat'
  );
});

test('an upgraded notebook is never written back unless asked', async () => {
  const dir = makeWorkspace('hostile-');
  const source = join(samplesRoot, 'analyze', 'nbformat-3-upgraded', 'input.ipynb');
  const path = join(dir, 'old.ipynb');
  const text = readFileSync(source, 'utf8');
  writeFileSync(path, text);
  const doc = await readNotebookFile(path);
  assert.equal(await codeOfAsync(() => writeNotebookFile(path, doc)), 'notebook-upgraded-not-written');
  assert.equal(readFileSync(path, 'utf8'), text, 'the file is unchanged');
  await writeNotebookFile(path, doc, { allowUpgrade: true });
  const written = parseNotebook(readFileSync(path, 'utf8'));
  assert.equal(written.upgradedFrom, undefined);
  assert.deepEqual(written.json, doc.json);
});

test('an nbformat 3 notebook runs as its nbformat 4 upgrade would', () => {
  const dir = makeWorkspace('hostile-');
  const path = join(dir, 'old.ipynb');
  writeFileSync(path, readFileSync(join(samplesRoot, 'analyze', 'nbformat-3-upgraded', 'input.ipynb')));
  const result = cli(['run', path, '--json']);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.equal(readFileSync(path, 'utf8').includes('"worksheets"'), true, 'the file is still nbformat 3');
});
