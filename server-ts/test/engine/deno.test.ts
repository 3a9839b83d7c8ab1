/**
 * Deno notebooks run on Deno: every step process and the straight run are `deno run`, `Deno` is a global there,
 * `npm:` imports load, `Deno.jupyter` calls do not throw, values travel between Deno steps (and between Node and
 * Deno) exactly, and an import Deno cannot fetch stops the run before any step starts, at its cell and line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { compileNotebookFile, NotebookHasErrors } from '../../src/compile/index.js';
import { compileLocal } from '../../src/compile/local/emit.js';
import { runStraightThrough } from '../../src/engine/local/straight-run.js';
import { stepCommand } from '../../src/engine/local/step-command.js';
import { readNotebookFile } from '../../src/notebook/file.js';
import { loadValues, saveValues } from '../../src/runtime/marshal.js';
import { verifyNotebook } from '../../src/verify/index.js';
import type { NotebookJson } from '../../src/notebook/nbformat.js';
import { makeWorkspace, notebookJson, writeNotebook, type CellSpec } from '../notebooks.js';
import { repoRoot, samplesRoot, serverRoot } from '../paths.js';
import { runNotebook } from './helpers.js';

const denoVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'node_modules/deno/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/**
 * Two Deno steps and a metric: `npm:yaml@2` (in the repository's node_modules, which Deno uses since a
 * package.json is above the workspace), `Deno.env`, `Deno.version`, and `Deno.jupyter`'s display API.
 */
const denoCells: CellSpec[] = [
  [['imports'], "import YAML from 'npm:yaml@2';"],
  [['pipeline-parameters'], 'const factor = 3;'],
  [
    ['step:read'],
    [
      "Deno.env.set('CELLFLOW_DENO_STEP', 'seen');",
      "const doc: { a: number; b: number[] } = YAML.parse('a: 1\\nb: [2, 3]');",
      'const bundle = Deno.jupyter.format(Deno.jupyter.md`**${doc.a}**`);',
      'await Deno.jupyter.display(doc);',
      "await Deno.jupyter.broadcast('comm_msg', { doc });",
      "console.log('runtime', Deno.version.deno);"
    ].join('\n')
  ],
  [
    ['step:combine', 'prev:read'],
    [
      "const env = Deno.env.get('CELLFLOW_DENO_STEP');",
      'const shared = { doc, tags: new Set(["x"]), when: new Date(0), big: 2n ** 70n, bytes: new Uint8Array([1, 2]) };',
      'const records = [shared, shared, { env, markdown: bundle }];',
      'const total = doc.b.reduce((sum, b) => sum + b, doc.a) * factor + (env === "seen" ? 1 : 0);'
    ].join('\n')
  ],
  [
    ['step:report', 'prev:combine'],
    'const same = records[0] === records[1];\nconst size = YAML.stringify(records[2]).length + (same ? 1000 : 0);'
  ],
  [['pipeline-metrics'], 'total;\nsize;']
];

describe('a Deno notebook runs on Deno', () => {
  test('its steps run as Deno processes, and give the values and metrics of the straight run on Deno', async () => {
    const dir = makeWorkspace('deno-');
    const path = writeNotebook(dir, 'deno.ipynb', denoCells, 'deno');
    const compiled = await compileNotebookFile(path);
    assert.equal(compiled.local.plan.runtime, 'deno');

    const run = await runNotebook(path, { useCache: false });
    const errors = run.stepOrder.map(s => `${s}: ${run.steps[s].status} ${run.steps[s].error?.message ?? ''}`);
    assert.equal(run.status, 'succeeded', errors.join('\n'));
    assert.deepEqual(run.stepOrder, ['read', 'combine', 'report']);
    const stdout = readFileSync(join(dir, '.cellflow/runs', run.id, 'steps/read/stdout.log'), 'utf8');
    assert.match(stdout, new RegExp(`^runtime ${denoVersion.replace(/\./g, '\\.')}$`, 'm'));
    // 1 + 2 + 3 = 6, times 3, plus 1 for the env change `read` made, seen by `combine` downstream.
    assert.equal(run.metrics.total, 19);

    const analysis = analyzeNotebook((await readNotebookFile(path)).json);
    const straight = await runStraightThrough(analysis, path);
    assert.equal(straight.exitCode, 0, straight.stderr);
    assert.match(straight.stdout, new RegExp(`^runtime ${denoVersion.replace(/\./g, '\\.')}$`, 'm'));
    assert.deepEqual(run.metrics, straight.metrics);

    // verify loads, into the straight run on Deno, what each step loaded in the pipeline (doc, bundle, records),
    // and compares them with the notebook's own.
    const report = await verifyNotebook(path, { useCache: false });
    assert.equal(report.verdict, 'identical', JSON.stringify(report));
    assert.ok(report.verdict === 'identical' && report.compared === 3, JSON.stringify(report));
  });

  test('a cell failing in a Deno step is reported at its notebook cell and line', async () => {
    const path = writeNotebook(
      makeWorkspace('deno-'),
      'fails.ipynb',
      [
        [['step:a'], 'const x = 1;'],
        [['step:b', 'prev:a'], 'const z = x * 2;\nif (z > 0) throw new TypeError(`boom in ${typeof Deno.pid}`);']
      ],
      'deno'
    );
    const run = await runNotebook(path, { useCache: false });
    assert.equal(run.status, 'failed');
    assert.equal(run.steps.a.status, 'succeeded');
    const { error } = run.steps.b;
    assert.deepEqual(
      { message: error?.message, cellIndex: error?.cellIndex, line: error?.line },
      { message: 'TypeError: boom in number', cellIndex: 1, line: 2 }
    );
  });

  test('tfjs tensors and layers models travel between Deno steps: tfjs corpus notebooks on Deno verify identical', async () => {
    for (const name of ['tfjs_tensors.ipynb', 'tfjs_layers_model.ipynb']) {
      const notebook = JSON.parse(readFileSync(join(samplesRoot, 'run', name), 'utf8'));
      notebook.metadata.kernelspec = { name: 'deno', display_name: 'Deno', language: 'typescript' };
      const path = join(makeWorkspace('deno-tfjs-'), name);
      writeFileSync(path, JSON.stringify(notebook));
      const report = await verifyNotebook(path, { useCache: false });
      assert.equal(report.verdict, 'identical', `${name}: ${JSON.stringify(report)}`);
      assert.ok(report.verdict === 'identical' && report.compared > 0);
    }
  });

  test('outside any package.json, Deno fetches `npm:` imports from the registry, and the runtime still loads', async () => {
    // No package.json above a temporary folder: Deno's global-cache mode, where bare imports do not look in
    // node_modules (the runtime's own packages load with `require`). A fresh DENO_DIR makes Deno fetch.
    const dir = mkdtempSync(join(tmpdir(), 'cellflow-deno-'));
    const denoDir = mkdtempSync(join(tmpdir(), 'cellflow-deno-cache-'));
    const path = writeNotebook(
      dir,
      'fetched.ipynb',
      [
        [['imports'], "import YAML from 'npm:yaml@2';"],
        [['step:parse'], "const doc = YAML.parse('n: 4\\nlist: [1, 2]');"],
        [['step:double', 'prev:parse'], 'const n = doc.n * 2 + doc.list.length;'],
        [['pipeline-metrics'], 'n']
      ],
      'deno'
    );
    const before = process.env.DENO_DIR;
    process.env.DENO_DIR = denoDir;
    try {
      const run = await runNotebook(path, { useCache: false });
      assert.equal(run.status, 'succeeded', JSON.stringify(run.steps, null, 1));
      assert.deepEqual(run.metrics, { n: 10 });
      assert.ok(existsSync(join(denoDir, 'npm', 'registry.npmjs.org', 'yaml')), 'yaml was fetched into DENO_DIR');
    } finally {
      if (before === undefined) delete process.env.DENO_DIR;
      else process.env.DENO_DIR = before;
    }
  });

  test('an import Deno cannot fetch stops the run before any step starts, at its cell and line', async () => {
    const dir = makeWorkspace('deno-');
    const path = writeNotebook(
      dir,
      'unreachable.ipynb',
      [
        [['imports'], "import YAML from 'npm:yaml@2';\nimport { assert } from 'jsr:@cellflow-test/not-there@1';"],
        [['step:a'], "import { x } from 'https://cellflow.invalid/mod.ts';\nconst y = YAML.parse(String(x));"],
        [['step:b', 'prev:a'], 'assert(y);']
      ],
      'deno'
    );
    const refused = await compileNotebookFile(path).then(
      () => assert.fail('the notebook compiled'),
      (error: unknown) => error
    );
    assert.ok(refused instanceof NotebookHasErrors, String(refused));
    const found = refused.diagnostics.map(d => `${d.code} ${d.cellIndex}:${d.line}:${d.column}`);
    assert.deepEqual(found, ['deno-import-unavailable 0:2:0', 'deno-import-unavailable 1:1:0']);
    assert.match(refused.diagnostics[0].message, /`jsr:@cellflow-test\/not-there@1`/);
    assert.match(refused.diagnostics[1].message, /`https:\/\/cellflow\.invalid\/mod\.ts`/);
    assert.equal(existsSync(join(dir, '.cellflow/runs')), false, 'no run was started');
  });

  test('the plan records the runtime, and a step cached on Node is not taken for the same step on Deno', () => {
    const cells: CellSpec[] = [
      [['step:a'], 'const x = [1, 2];'],
      [['step:b', 'prev:a'], 'const n = x.length;']
    ];
    const plan = (kernel: 'deno' | 'tslab') =>
      compileLocal(analyzeNotebook(notebookJson(cells, kernel) as NotebookJson), '/notebooks/nb.ipynb');
    const [onDeno, onNode] = [plan('deno'), plan('tslab')];
    assert.equal(onDeno.plan.runtime, 'deno');
    assert.equal(onNode.plan.runtime, 'node');
    assert.deepEqual([...onDeno.programs.values()], [...onNode.programs.values()], 'the programs are the same text');
    assert.notEqual(onDeno.plan.steps[0].codeHash, onNode.plan.steps[0].codeHash);
  });

  test('`Deno` is a global for Deno notebooks only: a Node notebook reading it is still refused', () => {
    const cells: CellSpec[] = [[['step:a'], "const home = Deno.env.get('HOME');"]];
    const codes = (kernel: 'deno' | 'tslab') =>
      analyzeNotebook(notebookJson(cells, kernel) as NotebookJson).ir.diagnostics.map(d => d.code);
    assert.deepEqual(codes('deno'), []);
    assert.deepEqual(codes('tslab'), ['kernel-global-unavailable']);
  });
});

/** Typical values with sharing, written by one runtime and read by the other, through the real codec. */
describe('values saved on Node load on Deno, and back', () => {
  const script = `
import { saveValues, loadValues } from ${JSON.stringify(pathToFileURL(join(serverRoot, 'dist/src/runtime/marshal.js')).href)};
const [from, to] = Deno.args;
const names = ['data', 'alias'];
const values = await loadValues(from, names, { step: 'node', consumer: 'deno', classes: {}, functions: {} });
if (values.data.map.get('k') !== values.alias) throw new Error('sharing lost on Deno');
await saveValues(to, values, { step: 'deno', consumers: { data: ['node'], alias: ['node'] }, classes: {}, functions: {} });
`;

  test('Maps, Sets, Dates, RegExps, BigInts, -0, NaN, bytes, Errors and shared objects survive both ways', async () => {
    const dir = makeWorkspace('deno-codec-');
    const shared = { k: [1, 2] };
    const data = {
      map: new Map<unknown, unknown>([['k', shared]]),
      set: new Set([shared, 'x']),
      when: new Date(86_400_000),
      pattern: /a+b/gi,
      big: -(2n ** 80n),
      negativeZero: -0,
      notANumber: NaN,
      bytes: new Float64Array([1.5, -2]),
      error: new RangeError('out of range', { cause: 'because' }),
      nested: { deep: [undefined, null, 'text'] }
    };
    await saveValues(
      join(dir, 'node'),
      { data, alias: shared },
      { step: 'node', consumers: {}, classes: {}, functions: {} }
    );
    const programFile = join(dir, 'roundtrip.mjs');
    writeFileSync(programFile, script);
    const deno = stepCommand('deno', programFile);
    const child = spawnSync(deno.command, [...deno.args, join(dir, 'node'), join(dir, 'deno')], {
      cwd: dir,
      env: { ...process.env, ...deno.env },
      encoding: 'utf8'
    });
    assert.equal(child.status, 0, child.stderr);

    const back = await loadValues(join(dir, 'deno'), ['data', 'alias'], {
      step: 'deno',
      consumer: 'node',
      classes: {},
      functions: {}
    });
    const loaded = back.data as typeof data;
    assert.equal(loaded.map.get('k'), back.alias, 'sharing survives');
    assert.ok(loaded.set.has(back.alias as typeof shared));
    assert.deepEqual(back.alias, shared);
    assert.equal(loaded.when.getTime(), data.when.getTime());
    assert.equal(String(loaded.pattern), '/a+b/gi');
    assert.equal(loaded.big, data.big);
    assert.ok(Object.is(loaded.negativeZero, -0));
    assert.ok(Number.isNaN(loaded.notANumber));
    assert.deepEqual([...loaded.bytes], [1.5, -2]);
    assert.ok(loaded.bytes instanceof Float64Array);
    assert.ok(loaded.error instanceof RangeError);
    assert.equal(loaded.error.message, 'out of range');
    assert.equal(loaded.error.cause, 'because');
    assert.equal(loaded.error.stack, data.error.stack, 'the stack Deno read is the one Node wrote');
    assert.deepEqual(loaded.nested, data.nested);
  });
});
