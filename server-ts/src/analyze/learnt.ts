/**
 * Writes that runs have seen and the static analysis did not (see
 * engine/local/learnt-writes.ts): the analysis counts each as a change of
 * the name in the step's last cell, so the step loads the value (a
 * mutation reads it) and hands it on as an output, marked as learnt.
 */
import { createHash } from 'node:crypto';
import type { CellFacts } from './cell-facts.js';

/** The sources of a step's cells, hashed: learnt writes hold while these are unchanged. */
export function stepSourceHash(sources: readonly string[]): string {
  const hash = createHash('sha256');
  for (const source of sources) hash.update(`${source.length}:${source}`);
  return hash.digest('hex');
}

/** The facts of a step's last cell with the learnt names as mutations (a copy: cached facts stay as they are). */
export function withLearntWrites(facts: CellFacts, names: readonly string[]): CellFacts {
  const defined = new Set(facts.defines.map(d => d.name));
  const read = new Set(facts.reads.map(r => r.name));
  const site = { line: 1, column: 0 };
  const learnt = Object.create(facts) as CellFacts;
  learnt.defines = [
    ...facts.defines,
    ...names
      .filter(name => !defined.has(name))
      .map(name => ({ name, ...site, kind: 'value' as const, how: 'mutate' as const, inFunction: false, maybe: true }))
  ];
  learnt.reads = [
    ...facts.reads,
    ...names.filter(name => !read.has(name) && !defined.has(name)).map(name => ({ name, ...site }))
  ];
  return learnt;
}
