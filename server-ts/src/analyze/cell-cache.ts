/**
 * Incremental analysis: cell facts are cached by language and source, so
 * editing one cell re-analyzes that cell only. Bounded, least recently used
 * entries go first.
 */
import type { Language } from '../ir.js';
import { analyzeCell, type CellFacts } from './cell-facts.js';

export class CellFactsCache {
  private readonly entries = new Map<string, CellFacts>();

  constructor(private readonly capacity = 20_000) {}

  get(source: string, language: Language): CellFacts {
    const key = `${language}\u0000${source}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // re-insert: Map order is recency order
      this.entries.set(key, hit);
      return hit;
    }
    const facts = analyzeCell(source, language);
    this.entries.set(key, facts);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return facts;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The cache the CLI and the HTTP server share within one process. */
export const sharedCellFactsCache = new CellFactsCache();
