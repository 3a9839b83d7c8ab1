/** `cellflow annotate`: what it prints, what --write writes (and leaves alone), and its exit codes. */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { samplesRoot } from '../paths.js';

const branches = join(samplesRoot, 'annotate', 'branches_join', 'notebook.ipynb');

function copyOf(source: string, name = 'notebook.ipynb'): string {
  const path = join(makeWorkspace('annotate-cli-'), name);
  copyFileSync(source, path);
  return path;
}

const tagsOf = (path: string): string[][] =>
  JSON.parse(readFileSync(path, 'utf8')).cells.map((c: { metadata: { tags?: string[] } }) => c.metadata.tags ?? []);

test('without --write it prints the steps and the DAG and leaves the notebook as it was', () => {
  const path = copyOf(branches);
  const before = readFileSync(path, 'utf8');
  const result = cli(['annotate', path]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /proposed split into 4 steps/);
  assert.match(result.stdout, /2\. mean_x {2}\(cells 3\)\n {5}prev: {3}points\n {5}in: {5}points ← points/);
  assert.match(result.stdout, /DAG .*\n {2}points\n {2}mean_x {2}\| {2}max_y\n {2}ratio/);
  assert.match(result.stdout, /run with --write/);
  assert.equal(readFileSync(path, 'utf8'), before);
});

test('--write writes the proposed tags, keeps everything else, and the notebook then has its steps', () => {
  const path = copyOf(branches);
  const before = JSON.parse(readFileSync(path, 'utf8'));
  const proposal = JSON.parse(cli(['annotate', path, '--json']).stdout);
  const result = cli(['annotate', path, '--write']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Wrote the tags into/);

  const after = JSON.parse(readFileSync(path, 'utf8'));
  const expected = structuredClone(before);
  for (const cell of proposal.cells) expected.cells[cell.index].metadata.tags = cell.tags;
  assert.deepEqual(after, expected, 'only the proposed cells changed, only in their tags');
  assert.deepEqual(tagsOf(path)[4], ['step:ratio', 'prev:mean_x', 'prev:max_y']);

  const analyze = JSON.parse(cli(['analyze', path, '--json']).stdout);
  assert.deepEqual(
    analyze.steps.map((s: { name: string; dependencies: string[] }) => [s.name, s.dependencies]),
    [
      ['points', []],
      ['mean_x', ['points']],
      ['max_y', ['points']],
      ['ratio', ['mean_x', 'max_y']]
    ]
  );
  const again = cli(['annotate', path, '--write']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /nothing proposed[\s\S]*already has step tags/);
});

test('--json prints the proposal object', () => {
  const result = cli(['annotate', branches, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const proposal = JSON.parse(result.stdout);
  assert.equal(proposal.outcome, 'split');
  assert.deepEqual(
    proposal.steps.map((s: { name: string; prev: string[] }) => [s.name, s.prev]),
    [
      ['points', []],
      ['mean_x', ['points']],
      ['max_y', ['points']],
      ['ratio', ['mean_x', 'max_y']]
    ]
  );
});

test('a notebook with errors exits 1 and lists them; with --json as one JSON error', () => {
  const dir = makeWorkspace('annotate-cli-');
  const path = writeNotebook(dir, 'broken.ipynb', [
    [[], 'const xs = [1, 2];'],
    [[], 'const ys = xz.map(x => x);']
  ]);
  const before = readFileSync(path, 'utf8');
  const result = cli(['annotate', path, '--write']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /undefined-variable .*`xz`/);
  const json = cli(['annotate', path, '--json']);
  assert.equal(json.code, 1);
  assert.equal(JSON.parse(json.stdout).error.diagnostics[0].code, 'undefined-variable');
  assert.equal(readFileSync(path, 'utf8'), before);
});

test('bad input exits 2: a missing file, an nbformat 3 notebook --write without --allow-upgrade', () => {
  assert.equal(cli(['annotate', '/nonexistent/none.ipynb']).code, 2);

  const path = join(makeWorkspace('annotate-cli-'), 'old.ipynb');
  writeFileSync(
    path,
    JSON.stringify({
      nbformat: 3,
      nbformat_minor: 0,
      metadata: { name: 'old' },
      worksheets: [
        {
          metadata: {},
          cells: [
            { cell_type: 'code', input: 'const x = 1;', language: 'javascript', metadata: {}, outputs: [] },
            { cell_type: 'code', input: 'const y = x + 1;', language: 'javascript', metadata: {}, outputs: [] }
          ]
        }
      ]
    })
  );
  const before = readFileSync(path, 'utf8');
  const refused = cli(['annotate', path, '--write', '--json']);
  assert.equal(refused.code, 2);
  assert.equal(JSON.parse(refused.stdout).error.code, 'notebook-upgraded-not-written');
  assert.equal(readFileSync(path, 'utf8'), before, 'the nbformat 3 file is untouched');

  const allowed = cli(['annotate', path, '--write', '--allow-upgrade']);
  assert.equal(allowed.code, 0, allowed.stderr);
  const written = JSON.parse(readFileSync(path, 'utf8'));
  assert.equal(written.nbformat, 4);
  assert.deepEqual(
    written.cells.map((c: { metadata: { tags?: string[] } }) => c.metadata.tags),
    [['step:x'], ['step:y', 'prev:x']]
  );
});
