/**
 * The run corpus, untagged and annotated again: for every notebook in
 * test/samples/run/ (each proven equal to a straight run as tagged),
 * test/samples/run-refused/ (tagged so that the run refuses) and the flagship
 * examples/xor.ipynb, the step tags are removed, `cellflow annotate --write`
 * tags a copy, and the annotated pipeline must report exactly the metrics of
 * the untagged notebook run straight through. Only proposals of more than one
 * step are run (one step is the straight run), two notebooks at a time.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { runStraightThrough } from '../../src/engine/local/straight-run.js';
import { readNotebookFile } from '../../src/notebook/file.js';
import type { NotebookJson } from '../../src/notebook/nbformat.js';
import { cli, runNotebook } from '../engine/helpers.js';
import { makeWorkspace } from '../notebooks.js';
import { repoRoot, samplesRoot } from '../paths.js';

/** The run corpus, and the notebooks whose hand-made tagging the run refuses: untagged, they must annotate well. */
const corpusDirs = [join(samplesRoot, 'run'), join(samplesRoot, 'run-refused')];
const corpus = [
  join(repoRoot, 'examples/xor.ipynb'), // the slowest first, so the small ones run beside it
  ...corpusDirs.flatMap(dir =>
    readdirSync(dir)
      .filter(name => name.endsWith('.ipynb'))
      .sort()
      .map(name => join(dir, name))
  )
];

/** Tags that make or configure steps: what a notebook as published does not have. */
const STEP_TAG = /^(step|block|prev|limit|annotation|label|image|cache|retry|timeout):/;

function untagged(notebook: NotebookJson): NotebookJson {
  return {
    ...notebook,
    cells: notebook.cells.map(cell => {
      const tags = cell.metadata?.tags;
      if (!Array.isArray(tags)) return cell;
      return { ...cell, metadata: { ...cell.metadata, tags: tags.filter(tag => !STEP_TAG.test(tag)) } };
    })
  };
}

const splits: string[] = [];

describe(
  'annotated corpus notebooks report the metrics of the untagged notebook run straight',
  { concurrency: 2 },
  () => {
    for (const source of corpus) {
      const name = basename(source);
      test(basename(name, '.ipynb'), async () => {
        const workspace = makeWorkspace('annotate-corpus-');
        const plainPath = join(workspace, `plain-${name}`);
        const annotatedPath = join(workspace, name);
        const plain = untagged(JSON.parse(readFileSync(source, 'utf8')));
        writeFileSync(plainPath, JSON.stringify(plain, null, 1) + '\n');
        writeFileSync(annotatedPath, JSON.stringify(plain, null, 1) + '\n');

        const annotate = cli(['annotate', annotatedPath, '--write', '--json']);
        assert.equal(annotate.code, 0, annotate.stderr + annotate.stdout);
        const proposal = JSON.parse(annotate.stdout);
        const annotated = analyzeNotebook((await readNotebookFile(annotatedPath)).json);
        assert.deepEqual(
          annotated.ir.diagnostics.filter(d => d.severity === 'error'),
          [],
          'the annotated notebook has errors'
        );
        assert.deepEqual(
          annotated.ir.steps.map(s => s.name),
          proposal.steps.map((s: { name: string }) => s.name),
          'the written tags give the proposed steps'
        );
        if (annotated.ir.steps.length < 2) return;
        splits.push(name);

        const straight = await runStraightThrough(analyzeNotebook((await readNotebookFile(plainPath)).json), plainPath);
        assert.equal(straight.exitCode, 0, `straight run failed:\n${straight.stderr}`);
        assert.ok(Object.keys(straight.metrics).length > 0, 'the straight run reported no metrics');

        const pipeline = await runNotebook(annotatedPath, { useCache: false });
        const failed = pipeline.stepOrder.filter(s => pipeline.steps[s].status !== 'succeeded');
        assert.equal(
          pipeline.status,
          'succeeded',
          `annotated pipeline ${pipeline.status}; steps not succeeded: ${failed
            .map(s => `${s} (${pipeline.steps[s].error?.message ?? pipeline.steps[s].reason ?? ''})`)
            .join(', ')}`
        );
        assert.deepEqual(pipeline.metrics, straight.metrics, 'annotated pipeline metrics differ from the straight run');
      });
    }
  }
);

test('most of the corpus splits into several steps (a proposal that never splits would pass the above)', () => {
  assert.ok(splits.length >= corpus.length / 2, `only ${splits.length} of ${corpus.length} notebooks split`);
});
