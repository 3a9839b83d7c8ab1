/**
 * The server analyzes notebooks in a process of its own: a notebook that kills the analysis (here: one too big
 * for the analysis heap the test gives it) fails its request with a coded error, and the server goes on
 * answering, with a fresh analysis process.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AnalysisCrashed, AnalysisProcess } from '../../src/analysis-process/index.js';
import { notebookJson } from '../notebooks.js';

async function workspace() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cellflow-isolation-'));
  const good = path.join(dir, 'good.ipynb');
  await writeFile(
    good,
    JSON.stringify(
      notebookJson([
        [['step:a'], 'const a = 1;'],
        [['step:b', 'prev:a'], 'const b = a + 1;']
      ])
    )
  );
  // One cell holding an array of two million numbers: 15 MB of source, millions of tree nodes, far more than a
  // 48 MiB heap can analyze.
  const huge = path.join(dir, 'huge.ipynb');
  const cell = `const values = [${Array.from({ length: 2_000_000 }, (_, i) => i).join(',')}];`;
  await writeFile(huge, JSON.stringify(notebookJson([[['step:s'], cell]])));
  return { good, huge };
}

test('an analysis that dies fails its request with a code; the next request is answered by a new process', async () => {
  const { good, huge } = await workspace();
  const analysis = new AnalysisProcess({ heapMiB: 48 });
  try {
    const first = await analysis.analyze(good);
    assert.deepEqual(
      first.steps.map(s => s.name),
      ['a', 'b']
    );
    await assert.rejects(analysis.analyze(huge), (error: unknown) => {
      assert.ok(error instanceof AnalysisCrashed);
      assert.equal(error.diagnostic.code, 'analysis-crashed');
      return true;
    });
    const again = await analysis.analyze(good);
    assert.deepEqual(
      again.steps.map(s => s.name),
      ['a', 'b']
    );
  } finally {
    analysis.close();
  }
});

test('an analysis that takes too long is stopped with analysis-timed-out; the next one runs', async () => {
  const { good, huge } = await workspace();
  const analysis = new AnalysisProcess({ timeoutMs: 50 });
  try {
    await assert.rejects(analysis.analyze(huge), (error: unknown) => {
      assert.ok(error instanceof AnalysisCrashed);
      assert.equal(error.diagnostic.code, 'analysis-timed-out');
      return true;
    });
  } finally {
    analysis.close();
  }
  const fresh = new AnalysisProcess();
  try {
    assert.equal((await fresh.analyze(good)).steps.length, 2);
  } finally {
    fresh.close();
  }
});

test('notebook errors come back as the diagnostic, not as a crash', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cellflow-isolation-'));
  const broken = path.join(dir, 'broken.ipynb');
  await writeFile(broken, '{ not json');
  const analysis = new AnalysisProcess();
  try {
    await assert.rejects(analysis.analyze(broken), (error: unknown) => {
      assert.equal((error as { diagnostic?: { code: string } }).diagnostic?.code, 'notebook-malformed-json');
      assert.ok(!(error instanceof AnalysisCrashed));
      return true;
    });
    await assert.rejects(analysis.analyze(path.join(dir, 'missing.ipynb')), (error: unknown) => {
      assert.match((error as Error).message, /does not exist/);
      return true;
    });
  } finally {
    analysis.close();
  }
});
