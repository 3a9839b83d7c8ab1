/** Cache entries are versions: a replacement never removes or changes the entry another run may be reading. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { StepCache } from '../../src/engine/local/step-cache.js';
import { makeWorkspace } from '../notebooks.js';

function finishedStep(dir: string, value: string) {
  const paths = {
    outputsDir: join(dir, 'outputs'),
    artifactsDir: join(dir, 'artifacts'),
    metricsFile: join(dir, 'metrics.json'),
    resultFile: join(dir, 'result.json'),
    displaysFile: join(dir, 'displays.jsonl')
  };
  mkdirSync(paths.outputsDir, { recursive: true });
  writeFileSync(join(paths.outputsDir, 'value.txt'), value);
  writeFileSync(
    paths.resultFile,
    JSON.stringify({
      saved: ['value'],
      unplannedWrites: [],
      loaded: {},
      state: { prelude: [], globals: [], env: { set: {}, unset: [] } }
    })
  );
  return paths;
}

test('replacing an entry leaves the one a reader holds whole; lookups see the new one', () => {
  const root = makeWorkspace();
  const cache = new StepCache(join(root, 'cache'));
  const first = cache.store('key', 'make', finishedStep(join(root, 'run1'), 'first'));
  const reading = cache.lookup('key')!;
  assert.equal(reading.dir, first.dir);
  const second = cache.store('key', 'make', finishedStep(join(root, 'run2'), 'second'), { replace: true });
  assert.notEqual(second.dir, first.dir);
  assert.equal(
    readFileSync(join(reading.outputsDir, 'value.txt'), 'utf8'),
    'first',
    'the reader still reads its entry'
  );
  assert.equal(readFileSync(join(cache.lookup('key')!.outputsDir, 'value.txt'), 'utf8'), 'second');
  // Without `replace`, an intact entry is kept.
  const kept = cache.store('key', 'make', finishedStep(join(root, 'run3'), 'third'));
  assert.equal(kept.dir, second.dir);
});
