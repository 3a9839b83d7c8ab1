/**
 * Equivalence: a notebook run as a pipeline (each step its own process,
 * variables handed on by value) reports exactly the metrics that running all
 * its cells in order in one process reports, as a kernel would. The corpus is
 * test/samples/run/*.ipynb plus the flagship example, examples/xor.ipynb.
 * Floating-point metrics must match exactly: same code, same order, seeded
 * randomness; a corpus notebook that is not deterministic is a bug in the
 * notebook, not a reason to loosen the comparison.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { runStraightThrough, type StraightRunResult } from '../../src/engine/local/straight-run.js';
import { RunStore } from '../../src/engine/local/run-store.js';
import type { RunRecord } from '../../src/engine/types.js';
import { readNotebookFile } from '../../src/notebook/file.js';
import { makeWorkspace } from '../notebooks.js';
import { repoRoot, samplesRoot } from '../paths.js';
import { runNotebook } from './helpers.js';

const corpusDir = join(samplesRoot, 'run');
const corpus = readdirSync(corpusDir)
  .filter(name => name.endsWith('.ipynb'))
  .sort()
  .map(name => join(corpusDir, name));
const xorExample = join(repoRoot, 'examples/xor.ipynb');

interface BothRuns {
  workspace: string;
  straight: StraightRunResult;
  pipeline: RunRecord;
}

/** Copies the notebook into a fresh workspace (so `.cellflow/` stays out of the repo), then runs it both ways. */
async function runBothWays(source: string): Promise<BothRuns> {
  const workspace = makeWorkspace('equivalence-');
  const path = join(workspace, basename(source));
  copyFileSync(source, path);

  const analysis = analyzeNotebook((await readNotebookFile(path)).json);
  const errors = analysis.ir.diagnostics.filter(d => d.severity === 'error');
  assert.deepEqual(errors, [], `${basename(source)} has error diagnostics`);

  const straight = await runStraightThrough(analysis, path);
  assert.equal(straight.exitCode, 0, `straight run failed:\n${straight.stderr}`);

  const pipeline = await runNotebook(path, { useCache: false });
  const failed = pipeline.stepOrder.filter(s => pipeline.steps[s].status !== 'succeeded');
  assert.equal(
    pipeline.status,
    'succeeded',
    `pipeline run ${pipeline.status}; steps not succeeded: ${failed
      .map(
        s => `${s} (${pipeline.steps[s].status}: ${pipeline.steps[s].error?.message ?? pipeline.steps[s].reason ?? ''})`
      )
      .join(', ')}`
  );
  return { workspace, straight, pipeline };
}

function assertSameMetrics({ straight, pipeline }: BothRuns): void {
  assert.ok(Object.keys(straight.metrics).length > 0, 'the straight run reported no metrics');
  assert.deepEqual(pipeline.metrics, straight.metrics, 'pipeline metrics differ from the straight run');
}

test('the run corpus has at least 12 notebooks, each with a pipeline-metrics cell', () => {
  assert.ok(corpus.length >= 12, `expected at least 12 notebooks in ${corpusDir}, found ${corpus.length}`);
  for (const path of corpus) {
    const notebook = JSON.parse(readFileSync(path, 'utf8'));
    assert.equal(notebook.nbformat, 4);
    assert.equal(notebook.nbformat_minor, 5);
    const tags = notebook.cells.flatMap((c: { metadata?: { tags?: string[] } }) => c.metadata?.tags ?? []);
    assert.ok(tags.includes('pipeline-metrics'), `${basename(path)} has no pipeline-metrics cell`);
  }
});

// Two notebooks at a time, the slowest (XOR) first, so the small ones run beside it.
describe('a pipeline run reports the same metrics as a straight run', { concurrency: 2 }, () => {
  test('examples/xor.ipynb', async () => {
    const runs = await runBothWays(xorExample);
    assertSameMetrics(runs);
    const { hidden_test_acc, linear_test_acc } = runs.pipeline.metrics;
    assert.ok(hidden_test_acc >= 0.95, `hidden_test_acc ${hidden_test_acc} < 0.95`);
    assert.ok(linear_test_acc <= 0.8, `linear_test_acc ${linear_test_acc} > 0.80`);

    const svgs = runs.pipeline.artifacts.filter(file => file.endsWith('.svg'));
    const names = svgs.map(file => basename(file));
    for (const chart of ['scatter.svg', 'training_curves.svg'])
      assert.ok(names.includes(chart), `no ${chart} among ${names}`);
    const runDir = new RunStore(runs.workspace).runDir(runs.pipeline.id);
    for (const file of svgs) assert.match(readFileSync(join(runDir, file), 'utf8'), /^<svg[\s>]/);
  });

  for (const path of corpus) {
    test(basename(path, '.ipynb'), async () => {
      assertSameMetrics(await runBothWays(path));
    });
  }
});
