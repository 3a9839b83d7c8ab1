/**
 * A command that stops says why in one coded diagnostic, never a stack trace; with `--json` it prints one
 * JSON object on stdout; the exit code is the README's (1 notebook errors, 2 bad input, 70 a cellflow bug).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, text);

test('logs and cancel of an unknown run: one clear error, exit 2', () => {
  const dir = makeWorkspace('cli-errors-');
  for (const args of [
    ['logs', 'no-such-run'],
    ['cancel', 'no-such-run'],
    ['logs', 'no-such-run', 'train']
  ]) {
    const result = cli([...args, '--dir', dir]);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, /^error unknown-run: There is no run `no-such-run` in .*\.cellflow\.\n {2}hint: /);
    noStack(result.stderr);
  }
});

test("logs of an unknown step names the run's steps", async () => {
  const dir = makeWorkspace('cli-errors-');
  const path = writeNotebook(dir, 'nb.ipynb', [[['step:only'], 'const x = 1;']]);
  const run = cli(['run', path, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const { runId } = JSON.parse(run.stdout) as { runId: string };
  const result = cli(['logs', runId, 'nope', '--dir', dir]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /error unknown-step: Run .* has no step `nope`\.\n {2}hint: Its steps are `only`\./);
});

test('run --json: notebook-level errors are one JSON object on stdout', () => {
  const dir = makeWorkspace('cli-errors-');
  const broken = join(dir, 'broken.ipynb');
  writeFileSync(broken, '{"cells": [');
  const malformed = cli(['run', broken, '--json']);
  assert.equal(malformed.code, 2);
  const { error } = JSON.parse(malformed.stdout);
  assert.equal(error.code, 'notebook-malformed-json');
  assert.equal(malformed.stderr, '');

  const path = writeNotebook(dir, 'undefined.ipynb', [[['step:a'], 'console.log(missingName);']]);
  const refused = cli(['run', path, '--json']);
  assert.equal(refused.code, 1);
  const parsed = JSON.parse(refused.stdout).error;
  assert.equal(parsed.code, 'notebook-has-errors');
  assert.deepEqual(
    parsed.diagnostics.map((d: { code: string; cellIndex: number; line: number }) => [d.code, d.cellIndex, d.line]),
    [['undefined-variable', 0, 1]]
  );
});

test('without --json the same errors are readable lines on stderr, no stack trace', () => {
  const dir = makeWorkspace('cli-errors-');
  const result = cli(['run', join(dir, 'absent.ipynb')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^error [a-z-]+: /);
  assert.equal(result.stdout, '');
  noStack(result.stderr);
});
