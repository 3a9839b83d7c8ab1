/** The notebook model loses nothing: unchanged notebooks and tags come back byte-for-byte. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCellAnnotation, writeCellAnnotation } from '../../src/annotations/tags.js';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { detectLanguage } from '../../src/notebook/language.js';
import { cellTags } from '../../src/notebook/nbformat.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { serializeNotebook } from '../../src/notebook/write.js';
import { repoRoot, samplesRoot } from '../paths.js';

function allNotebooks(): string[] {
  const analyzeSamples = join(samplesRoot, 'analyze');
  const runSamples = join(samplesRoot, 'run');
  return [
    ...readdirSync(analyzeSamples).map(name => join(analyzeSamples, name, 'input.ipynb')),
    ...safeList(runSamples)
      .filter(f => f.endsWith('.ipynb'))
      .map(f => join(runSamples, f)),
    join(repoRoot, 'examples', 'xor.ipynb')
  ];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

const JUPYTER_STYLE = `{
 "cells": [
  {
   "attachments": {
    "plot.png": {
     "image/png": "iVBORw0KGgo="
    }
   },
   "cell_type": "markdown",
   "id": "m1",
   "metadata": {},
   "source": [
    "![plot](attachment:plot.png) ünïcödé"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "id": "c1",
   "metadata": {
    "collapsed": false,
    "tags": [
     "block:load",
     "hide-input",
     "limit:nvidia.com/gpu:1"
    ],
    "vendor": {
     "ratio": 1.5,
     "nested": [1, 2, {"x": null}]
    }
   },
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "hello\\n"
     ]
    }
   ],
   "source": [
    "const a = 1;\\n",
    "a"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "TypeScript",
   "language": "typescript",
   "name": "tslab"
  },
  "kubeflow_notebook": {
   "docker_image": "node:20",
   "experiment_name": "exp"
  },
  "widgets": {"state": {}}
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
`;

test('an unchanged notebook is written back byte-for-byte, quirks included', () => {
  const doc = parseNotebook(JUPYTER_STYLE);
  assert.equal(serializeNotebook(doc), JUPYTER_STYLE);
  for (const path of allNotebooks()) {
    const text = readFileSync(path, 'utf8');
    let doc;
    try {
      doc = parseNotebook(text);
    } catch {
      continue; // the malformed-input samples
    }
    if (doc.upgradedFrom !== undefined) continue; // read upgraded, so never written back as it was (hostile-input.test)
    assert.equal(serializeNotebook(doc), text, path);
  }
});

test('a changed notebook keeps outputs, attachments and metadata it does not understand', () => {
  const doc = parseNotebook(JUPYTER_STYLE);
  doc.json.cells[1].metadata.tags = ['block:load', 'hide-input', 'prev:other'];
  const written = JSON.parse(serializeNotebook(doc));
  const original = JSON.parse(JUPYTER_STYLE);
  assert.deepEqual(written.cells[0], original.cells[0]);
  assert.deepEqual(written.cells[1].outputs, original.cells[1].outputs);
  assert.deepEqual(written.cells[1].metadata.vendor, original.cells[1].metadata.vendor);
  assert.deepEqual(written.metadata, original.metadata);
  assert.deepEqual(written.cells[1].metadata.tags, ['block:load', 'hide-input', 'prev:other']);
  assert.ok(serializeNotebook(doc).startsWith('{\n "cells": [\n  {'), "keeps Jupyter's one-space indent");
});

test('reading then writing the tags of every sample cell changes nothing', () => {
  let cells = 0;
  for (const path of allNotebooks()) {
    let doc;
    try {
      doc = parseNotebook(readFileSync(path, 'utf8'));
    } catch {
      continue;
    }
    doc.json.cells.forEach((cell, index) => {
      const tags = cellTags(cell);
      const { annotation } = readCellAnnotation(tags, index);
      assert.deepEqual(writeCellAnnotation(annotation), tags, `${path} cell ${index + 1}`);
      cells++;
    });
  }
  assert.ok(cells > 200, `checked ${cells} cells`);
});

test('editing an annotation rewrites only what changed', () => {
  const { annotation } = readCellAnnotation(['hide-input', 'block:train', 'limit:memory:4Gi', 'prev:load'], 0);
  annotation.prev.push('clean');
  annotation.settings.retry = 2;
  assert.deepEqual(writeCellAnnotation(annotation), [
    'hide-input',
    'block:train',
    'limit:memory:4Gi',
    'prev:load',
    'prev:clean',
    'retry:2'
  ]);
});

test('bad notebooks are clear errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['{ "cells": [', /not valid JSON/],
    ['[]', /not a Jupyter notebook/],
    ['{"nbformat": 2, "nbformat_minor": 0, "worksheets": []}', /nbformat 2.*nbformat 4/],
    [
      '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": 3}]}',
      /Cell 1 is malformed/
    ]
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseNotebook(text),
      (error: unknown) => error instanceof CellflowError && message.test(error.message)
    );
  }
});

test('the language comes from the kernelspec, then language_info', () => {
  const language = (metadata: Record<string, unknown>) =>
    detectLanguage({ nbformat: 4, nbformat_minor: 5, metadata, cells: [] }).language;
  assert.equal(language({ kernelspec: { name: 'tslab' } }), 'typescript');
  assert.equal(language({ kernelspec: { name: 'deno' } }), 'typescript');
  assert.equal(language({ kernelspec: { name: 'jslab' } }), 'javascript');
  assert.equal(language({ kernelspec: { name: 'javascript' } }), 'javascript');
  assert.equal(language({ language_info: { name: 'typescript' } }), 'typescript');
  assert.throws(() => language({ kernelspec: { name: 'python3', language: 'python' } }), /not Python yet/);
  assert.throws(() => language({}), /names no kernel/);
});
