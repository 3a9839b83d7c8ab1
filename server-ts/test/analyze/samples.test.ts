/**
 * Golden samples: each folder under test/samples/analyze holds input.ipynb and
 * expected.json (the pipeline IR, or the error for notebooks that cannot be
 * analyzed). CELLFLOW_UPDATE_SAMPLES=1 rewrites expected.json.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { samplesRoot, updateSamples } from '../paths.js';

const root = join(samplesRoot, 'analyze');

function analyzeSample(text: string): unknown {
  try {
    return analyzeNotebook(parseNotebook(text).json).ir;
  } catch (error) {
    if (error instanceof CellflowError) return { error: error.diagnostic };
    throw error;
  }
}

const cases = readdirSync(root)
  .filter(name => existsSync(join(root, name, 'input.ipynb')))
  .sort();

test('there are golden samples for the analyzer', () => {
  assert.ok(cases.length >= 30, `expected at least 30 samples, found ${cases.length}`);
});

for (const name of cases) {
  test(`analyze sample: ${name}`, () => {
    const actual = analyzeSample(readFileSync(join(root, name, 'input.ipynb'), 'utf8'));
    const expectedPath = join(root, name, 'expected.json');
    if (updateSamples || !existsSync(expectedPath)) {
      writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
      if (!updateSamples) assert.fail(`${name}: wrote a new expected.json; review it and run again`);
      return;
    }
    assert.deepEqual(actual, JSON.parse(readFileSync(expectedPath, 'utf8')));
  });
}
