/** Shared by the runtime tests: a temp directory per test, removed afterwards. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { MarshalContext } from '../../src/runtime/index.js';
import type { NotebookClass } from '../../src/runtime/notebook-class.js';

export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cellflow-runtime-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

export function context(classes: Record<string, NotebookClass> = {}): MarshalContext {
  return { step: 'prepare', consumers: ['train', 'evaluate'], classes };
}
