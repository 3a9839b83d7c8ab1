/**
 * What steps display becomes files of the run, listed with the cell that displayed them: tslab's `tslab`
 * module, ijavascript's `$$`, Deno's `Deno.jupyter`, and a cell's last expression as the kernel shows it.
 * The notebook run top to bottom displays the same files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { runStraightThrough } from '../../src/engine/local/straight-run.js';
import { RunStore } from '../../src/engine/local/run-store.js';
import { displayIndexOf, readDisplayIndex } from '../../src/runtime/displays.js';
import type { RunRecord } from '../../src/engine/types.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

/** Each display as (cell, MIME type, contents), in order. */
function displayed(record: RunRecord, dir: string): [number | null, string, string][] {
  const runDir = new RunStore(dir).runDir(record.id);
  return record.displays.map(d => [d.cellIndex, d.mimeType, readFileSync(join(runDir, d.path)).toString('base64')]);
}

/** The straight run's displays, read from the index it writes beside its artifacts. */
async function straightDisplays(path: string): Promise<[number | null, string, string][]> {
  const analysis = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
  const straight = await runStraightThrough(analysis, path);
  assert.equal(straight.exitCode, 0, straight.stderr);
  const index = readDisplayIndex(displayIndexOf(straight.artifactsDir));
  return index.map(d => [
    d.cellIndex,
    d.mimeType,
    readFileSync(join(straight.artifactsDir, d.file)).toString('base64')
  ]);
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];

test('tslab: tslab.display.* from a step that imports a local .ts module, newDisplay updates, cell results printed', async () => {
  const dir = makeWorkspace();
  writeFileSync(join(dir, 'badge.ts'), 'export const badge = (n: number): string => `<b>${n}</b>`;\n');
  const path = writeNotebook(dir, 'tslab-displays.ipynb', [
    [['imports'], "import * as tslab from 'tslab';\nimport { badge } from './badge';"],
    [
      ['step:draw'],
      `const png = new Uint8Array(${JSON.stringify(PNG)});\ntslab.display.png(png);\ntslab.display.html(badge(7));`
    ],
    [
      [],
      "const progress = tslab.newDisplay();\nprogress.text('50%');\nprogress.text('100%');\nconst size = png.length;"
    ],
    [['step:report', 'prev:draw'], 'const doubled = size * 2;\n({ doubled })'],
    [['pipeline-metrics'], 'doubled;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  const shown = displayed(record, dir);
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  assert.deepEqual(shown, [
    [1, 'image/png', Buffer.from(PNG).toString('base64')],
    [1, 'text/html', b64('<b>7</b>')],
    [2, 'text/plain', b64('100%')]
  ]);
  assert.deepEqual(
    record.displays.map(d => d.step),
    ['draw', 'draw', 'draw']
  );
  // tslab prints a cell's result (console.log), it does not display it.
  const reportLog = readFileSync(join(new RunStore(dir).stepDir(record.id, 'report'), 'stdout.log'), 'utf8');
  assert.match(reportLog, /^\{ doubled: 24 \}$/m);
  assert.ok(record.displays[0]!.path.endsWith('.png'));
  assert.deepEqual(await straightDisplays(path), shown, 'the notebook run top to bottom displays the same');
  // A cached step's displays come with it.
  const cached = await runNotebook(path);
  assert.equal(cached.steps.draw.cached, true);
  assert.deepEqual(displayed(cached, dir), shown);
});

test('ijavascript: $$ displays, $$.display(id) updates, $$.async with sendResult, browser code in callbacks', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(
    dir,
    'ijs-displays.ipynb',
    [
      [
        ['step:a'],
        "var rows = [1, 2, 3];\n$$.html('<p>' + rows.length + '</p>');\nvar status = $$.display('status');\nstatus.text('loading');\nstatus.text('ready');"
      ],
      [[], '$$.async();\nsetTimeout(function () {\n  rows.push(4);\n  $$.sendResult(rows.length);\n}, 20);'],
      [
        ['step:b', 'prev:a'],
        "var total = rows.reduce(function (a, b) { return a + b; }, 0);\n$$.svg('<svg/>');\nfunction onLoad() { return document.title + window.name; }\ntotal"
      ],
      [['pipeline-metrics'], 'total;']
    ],
    'javascript'
  );
  const analysis = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
  assert.deepEqual(analysis.ir.diagnostics, [], 'window/document in a callback, $$: nothing undefined');
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.equal(record.metrics.total, 10, 'the async cell finished before the step went on');
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const shown = displayed(record, dir);
  assert.deepEqual(shown, [
    [0, 'text/html', b64('<p>3</p>')],
    [0, 'text/plain', b64('ready')],
    [1, 'text/plain', b64('4')],
    [2, 'image/svg+xml', b64('<svg/>')],
    [2, 'text/plain', b64('10')]
  ]);
  assert.deepEqual(await straightDisplays(path), shown);
});

test('ijavascript: $$.sendError fails the cell with its error', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(
    dir,
    'ijs-error.ipynb',
    [
      [['step:a'], 'var n = 1;'],
      [[], "$$.async();\nsetTimeout(function () { $$.sendError(new Error('the service said no')); }, 10);"]
    ],
    'javascript'
  );
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  assert.match(record.steps.a.error!.message, /the service said no/);
});

test('Deno: Deno.jupyter.display and rich cell results become displays', async () => {
  const dir = makeWorkspace('deno-');
  const path = writeNotebook(
    dir,
    'deno-displays.ipynb',
    [
      [
        ['step:a'],
        "const n = 6;\nawait Deno.jupyter.display({ 'text/markdown': '# six' }, { raw: true });\n// Without raw: true an object is a value, as in the kernel, not a bundle.\nawait Deno.jupyter.display({ 'text/markdown': 'a value' });"
      ],
      [['step:b', 'prev:a'], 'const m = n * 7;\nDeno.jupyter.html`<i>${m}</i>`'],
      [['pipeline-metrics'], 'm;']
    ],
    'deno'
  );
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  assert.deepEqual(displayed(record, dir), [
    [0, 'text/markdown', b64('# six')],
    [0, 'text/plain', b64('{ "text/markdown": "a value" }')],
    [1, 'text/html', b64('<i>42</i>')]
  ]);
  const files = readdirSync(join(new RunStore(dir).stepDir(record.id, 'b'), 'artifacts'));
  assert.deepEqual(files, ['cell-2-1.html']);
});
