/** A notebook as published, with no step tags: `compile` and `run` take it as one step and say so. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

test('an untagged notebook compiles and runs as one step, `main`, and the run says so', () => {
  const dir = makeWorkspace('untagged-');
  const path = writeNotebook(dir, 'plain.ipynb', [
    [[], "import * as path from 'node:path';\nconst rows = [3, 1, 2];"],
    [[], 'rows.sort();\nconsole.log(`first=${rows[0]}`, path.sep);']
  ]);
  const compiled = cli(['compile', path, '--target', 'local', '--out', `${dir}/out`]);
  assert.equal(compiled.code, 0, compiled.stderr);

  const run = cli(['run', path]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /warning untagged-notebook .*runs as one step, `main`/);
  assert.match(run.stdout, /main +│ succeeded/);

  const logs = cli(['logs', run.stdout.match(/Run (\S+) succeeded/)![1], 'main', '--dir', dir]);
  assert.match(logs.stdout, /first=1 \//);
});
