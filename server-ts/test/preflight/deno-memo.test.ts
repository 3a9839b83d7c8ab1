import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { denoMemoKey, rememberResolved, resolvedLately } from '../../src/preflight/deno-memo.js';

test('only registry, builtin and URL imports are kept; a local file or a bare name is asked again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cellflow-deno-memo-'));
  assert.equal(
    denoMemoKey(['npm:lodash@4', 'jsr:@std/path', 'node:fs', 'https://deno.land/x/y.ts'], dir) !== undefined,
    true
  );
  assert.equal(denoMemoKey(['npm:lodash@4', './helpers.ts'], dir), undefined);
  assert.equal(denoMemoKey(['lodash'], dir), undefined);
  assert.equal(denoMemoKey([`file://${dir}/a.ts`], dir), undefined);
  assert.equal(denoMemoKey([], dir), undefined);
});

test('editing what steers Deno, or installing a package, asks Deno again; so does an old answer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cellflow-deno-memo-'));
  const key = denoMemoKey(['npm:lodash@4'], dir);
  assert.equal(resolvedLately(key), false);
  rememberResolved(key, 1_000_000);
  assert.equal(resolvedLately(key, 1_000_001), true);
  assert.equal(denoMemoKey(['npm:lodash@4'], dir), key, 'the same folder and imports give the same key');
  assert.equal(resolvedLately(key, 1_000_000 + 11 * 60 * 1000), false, 'kept ten minutes at most');

  rememberResolved(key);
  writeFileSync(join(dir, 'deno.json'), '{"imports":{}}');
  const afterConfig = denoMemoKey(['npm:lodash@4'], dir);
  assert.notEqual(afterConfig, key);
  assert.equal(resolvedLately(afterConfig), false);
  rememberResolved(afterConfig);
  utimesSync(join(dir, 'deno.json'), new Date(), new Date(Date.now() + 5000));
  assert.equal(resolvedLately(denoMemoKey(['npm:lodash@4'], dir)), false, 'a touched deno.json asks again');
  assert.equal(resolvedLately(denoMemoKey(['npm:lodash@4', 'npm:zod@3'], dir)), false, 'another import asks again');
});
