/** `cellflow analyze`: a readable summary, `--json` the IR, exit code 1 on errors; every example and corpus notebook analyzes cleanly. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { cli } from '../engine/helpers.js';
import { repoRoot, samplesRoot } from '../paths.js';

const xor = join(repoRoot, 'examples', 'xor.ipynb');

test('analyze prints steps, dependencies, ins with producers, outs, parameters, metrics', () => {
  const result = cli(['analyze', xor]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /6 steps/);
  assert.match(result.stdout, /train_hidden[\s\S]*after: +generate[\s\S]*in: +.*xTrain ← generate/);
  assert.match(result.stdout, /evaluate[\s\S]*out: +-/);
  assert.match(result.stdout, /learning_rate: number = 0\.05/);
  assert.match(result.stdout, /hidden_test_acc ← evaluate/);
  assert.match(result.stdout, /No problems found/);
});

test('analyze --json prints the IR', () => {
  const result = cli(['analyze', xor, '--json']);
  assert.equal(result.code, 0);
  const ir = JSON.parse(result.stdout);
  assert.deepEqual(
    ir.steps.map((s: { name: string }) => s.name),
    ['generate', 'scatter_plot', 'train_linear', 'train_hidden', 'training_plots', 'evaluate']
  );
  assert.deepEqual(ir, analyzeNotebook(parseNotebook(readFileSync(xor, 'utf8')).json).ir);
});

test('analyze exits 1 on errors and 2 on an unreadable notebook', () => {
  const broken = join(samplesRoot, 'analyze', 'diag-undefined-variable', 'input.ipynb');
  const result = cli(['analyze', broken]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /error undefined-variable \(.*cell \d+, line \d+:\d+\)/);
  assert.match(result.stdout, /hint: /);
  const missing = cli(['analyze', join(samplesRoot, 'no-such.ipynb')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
});

test('every example and run-corpus notebook analyzes with no error or warning', () => {
  const runSamples = join(samplesRoot, 'run');
  const notebooks = [
    xor,
    ...readdirSync(runSamples)
      .filter(f => f.endsWith('.ipynb'))
      .map(f => join(runSamples, f))
  ];
  for (const path of notebooks) {
    const { ir } = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
    // Corpus notebooks named untagged_* have no step tags on purpose: they say they run as one step.
    const expected = basename(path).startsWith('untagged_') ? ['untagged-notebook'] : [];
    assert.deepEqual(
      ir.diagnostics.map(d => d.code),
      expected,
      path
    );
    assert.ok(ir.steps.length > 0, path);
  }
});
