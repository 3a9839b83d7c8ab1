/**
 * The refused run corpus: notebooks whose pipeline would compute something
 * else than the notebook, in ways only the run can see. Each names, in its
 * metadata (`cellflow_test.refusedWith`), the diagnostic its run must stop
 * with and the step it must name; the run must report no metrics.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { makeWorkspace } from '../notebooks.js';
import { samplesRoot } from '../paths.js';
import { runNotebook } from './helpers.js';

const dir = join(samplesRoot, 'run-refused');
const notebooks = readdirSync(dir)
  .filter(name => name.endsWith('.ipynb'))
  .sort();

describe('runs that must stop with a plan-check diagnostic', { concurrency: 2 }, () => {
  for (const name of notebooks) {
    test(basename(name, '.ipynb'), async () => {
      const expected = JSON.parse(readFileSync(join(dir, name), 'utf8')).metadata.cellflow_test as {
        refusedWith: string;
        step: string;
      };
      const workspace = makeWorkspace('refused-');
      const path = join(workspace, name);
      copyFileSync(join(dir, name), path);
      const record = await runNotebook(path, { useCache: false, concurrency: 1 });
      assert.equal(record.status, 'failed');
      const error = record.steps[expected.step].error;
      assert.equal(error?.kind, 'plan-check', JSON.stringify(record.steps, null, 1));
      assert.equal(error?.code, expected.refusedWith);
      assert.ok(error?.hint, 'a hint on what to do');
      assert.deepEqual(record.metrics, {}, 'no metrics from a refused run');
    });
  }
});

test('the refused corpus covers every run-time refusal', () => {
  const codes = new Set(
    notebooks.map(name => JSON.parse(readFileSync(join(dir, name), 'utf8')).metadata.cellflow_test.refusedWith)
  );
  for (const code of [
    'unplanned-write-seen-later',
    'prelude-state-changed',
    'global-state-changed',
    'env-change-not-downstream'
  ])
    assert.ok(codes.has(code), `no notebook refused with ${code}`);
});
