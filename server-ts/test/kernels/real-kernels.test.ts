/**
 * Issue 7, "Show it": a notebook run in its real kernel (through jupyter_client) and the same notebook run as a
 * pipeline show the same things: the printed text of each step, the metrics (the metrics cell's value in the
 * kernel), and each display, per cell, as compare-outputs.ts describes. Deno's kernel (`deno jupyter`, with an
 * `npm:` import and `Deno.jupyter`) and tslab's (a local `.ts` module, `tslab.display.png`).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunStore } from '../../src/engine/local/run-store.js';
import type { RunRecord } from '../../src/engine/types.js';
import { runNotebook } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook, type CellSpec } from '../notebooks.js';
import { displaysToCompare, resultText } from './compare-outputs.js';
import { kernelPython, runInKernel, type KernelCell } from './real-kernel.js';

const TIMEOUT = { timeout: 120_000 };

/** What the kernel printed in each step's cells (the notebook's cells of each step, as the test lays them out). */
function kernelStdoutByStep(cells: KernelCell[], stepCells: Record<string, number[]>): Record<string, string> {
  const byStep: Record<string, string> = {};
  for (const [step, indices] of Object.entries(stepCells)) {
    byStep[step] = indices.map(i => cells.find(c => c.index === i)?.stdout ?? '').join('');
  }
  return byStep;
}

/** Each step's printed text, with the metric lines (`name=value`, for Katib) the pipeline adds left out. */
function pipelineStdoutByStep(record: RunRecord, dir: string): Record<string, string> {
  const store = new RunStore(dir);
  const byStep: Record<string, string> = {};
  for (const step of record.stepOrder) {
    const log = readFileSync(join(store.stepDir(record.id, step), 'stdout.log'), 'utf8');
    byStep[step] = log
      .split(/(?<=\n)/)
      .filter(line => !Object.keys(record.metrics).some(name => line.startsWith(`${name}=`)))
      .join('');
  }
  return byStep;
}

test('the Python environment for the kernel driver is made (once; later runs reuse it)', { timeout: 600_000 }, () => {
  kernelPython();
});

/** A valid 2x1 PNG, built in a local module: bytes a real image has (zlib data, CRCs), not a fixed array. */
const PNG_MODULE = `import { deflateSync } from 'node:zlib';

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A grey-scale image one row high, one pixel per shade. */
export function greyRow(shades: number[]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(shades.length, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  const pixels = deflateSync(Buffer.from([0, ...shades]));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(
    Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', new Uint8Array(0))])
  );
}

export const badge = (n: number): string => \`<b>\${n}</b>\`;
`;

const tslabCells: CellSpec[] = [
  [['imports'], "import * as tslab from 'tslab';\nimport { badge, greyRow } from './png';"],
  [['pipeline-parameters'], 'const brightest = 255;'],
  [
    ['step:draw'],
    'const shades = [0, 128, brightest];\nconst png = greyRow(shades);\ntslab.display.png(png);\ntslab.display.html(badge(png.length));\nconsole.log("png bytes", png.length);'
  ],
  [[], "const progress = tslab.newDisplay();\nprogress.text('50%');\nprogress.text('100%');\n'drawn'"],
  [
    ['step:report', 'prev:draw'],
    'const brightness = shades.reduce((sum, s) => sum + s, 0) / shades.length;\ntslab.display.markdown(`**${brightness}**`);\nconsole.log("size", png.length, "brightness", brightness);\n({ brightness, bytes: png.subarray(0, 4) })'
  ],
  [['pipeline-metrics'], 'brightness;']
];

test(
  'tslab: a local .ts module and tslab.display.png, in the real tslab kernel and as a pipeline',
  TIMEOUT,
  async () => {
    const dir = makeWorkspace('kernel-tslab-');
    writeFileSync(join(dir, 'png.ts'), PNG_MODULE);
    const path = writeNotebook(dir, 'tslab-kernel.ipynb', tslabCells, 'tslab');
    const metricsCell = 5;

    const cells = runInKernel('tslab', path);
    assert.deepEqual(
      cells.map(c => [c.index, c.error]),
      tslabCells.map((_, i) => [i, null]),
      'every cell ran in the kernel'
    );
    const record = await runNotebook(path, { useCache: false });
    assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));

    const { pipeline, kernel } = displaysToCompare(record, dir, cells, new Set([metricsCell]));
    assert.deepEqual(pipeline, kernel);
    assert.deepEqual(
      pipeline.map(d => d.mimeType),
      ['image/png', 'text/html', 'text/plain', 'text/markdown'],
      'the PNG, the badge, the progress as it ended, the brightness'
    );
    const png = Buffer.from(pipeline[0]!.contents, 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')], 'the same PNG bytes, and a PNG');

    assert.deepEqual(pipelineStdoutByStep(record, dir), kernelStdoutByStep(cells, { draw: [2, 3], report: [4] }));
    // tslab prints a cell's last value (console.log): the metrics cell's is the metric.
    assert.equal(cells[metricsCell]!.stdout, `${record.metrics.brightness}\n`);
    assert.equal(record.metrics.brightness, (0 + 128 + 255) / 3);
  }
);

const PNG_BYTES = '[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]';

const denoCells: CellSpec[] = [
  [['imports'], "import YAML from 'npm:yaml@2';"],
  [['pipeline-parameters'], 'const factor = 3;'],
  [
    ['step:read'],
    [
      "const doc: { a: number; b: number[] } = YAML.parse('a: 1\\nb: [2, 3]');",
      "console.log('parsed', doc.b.length, 'items');",
      "await Deno.jupyter.display({ 'text/markdown': `# a is ${doc.a}` }, { raw: true });",
      `await Deno.jupyter.display(Deno.jupyter.image(new Uint8Array(${PNG_BYTES})));`
    ].join('\n')
  ],
  [
    ['step:combine', 'prev:read'],
    'const total = doc.b.reduce((sum, b) => sum + b, doc.a) * factor;\nDeno.jupyter.svg`<svg><text>${total}</text></svg>`'
  ],
  [[], 'total * 2'],
  [
    ['step:report', 'prev:combine'],
    [
      'const summary = YAML.stringify({ total, items: doc.b });',
      'console.log(summary);',
      'await Deno.jupyter.display(Deno.jupyter.html`<pre>${summary}</pre>`);',
      'await Deno.jupyter.display({ total });'
    ].join('\n')
  ],
  [['pipeline-metrics'], 'total;']
];

test('Deno: an npm: import and Deno.jupyter.display, in the real Deno kernel and as a pipeline', TIMEOUT, async () => {
  const dir = makeWorkspace('kernel-deno-');
  const path = writeNotebook(dir, 'deno-kernel.ipynb', denoCells, 'deno');
  const metricsCell = 6;

  const cells = runInKernel('deno', path);
  assert.deepEqual(
    cells.map(c => [c.index, c.error]),
    denoCells.map((_, i) => [i, null]),
    'every cell ran in the kernel'
  );
  const record = await runNotebook(path, { useCache: false });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));

  const { pipeline, kernel } = displaysToCompare(record, dir, cells, new Set([metricsCell]));
  assert.deepEqual(pipeline, kernel);
  assert.deepEqual(
    pipeline.map(d => d.mimeType),
    ['text/markdown', 'image/png', 'image/svg+xml', 'text/plain', 'text/html', 'text/plain'],
    'markdown, image, a rich result, a number result, html, an inspected object'
  );
  assert.equal(pipeline[3]!.contents, '36', 'a number result compares as text');

  assert.deepEqual(
    pipelineStdoutByStep(record, dir),
    kernelStdoutByStep(cells, { read: [2], combine: [3, 4], report: [5] })
  );
  // Deno shows the metrics cell's last value as a result: the metric.
  assert.equal(resultText(cells[metricsCell]), String(record.metrics.total));
  assert.equal(record.metrics.total, 18);
});
