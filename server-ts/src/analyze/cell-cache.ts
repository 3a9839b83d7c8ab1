/**
 * Incremental analysis: cell facts are cached by language and source, so
 * editing one cell re-analyzes that cell only. Bounded, least recently used
 * entries go first.
 */
import type { Language } from '../ir.js';
import { analyzeCell, type CellFacts } from './cell-facts.js';

export class CellFactsCache {
  // One map per language, keyed by the source string itself: no key concatenation on the hot path.
  private readonly entries = { typescript: new Map<string, CellFacts>(), javascript: new Map<string, CellFacts>() };
  private count = 0;

  constructor(private readonly capacity = 20_000) {}

  get(source: string, language: Language): CellFacts {
    const entries = this.entries[language];
    const hit = entries.get(source);
    if (hit) return hit;
    const facts = analyzeCell(source, language);
    entries.set(source, facts);
    if (++this.count > this.capacity) this.evictOldest();
    return facts;
  }

  /** Drops the oldest half: edits make new entries, so old ones are the ones no longer in any notebook. */
  private evictOldest(): void {
    for (const entries of Object.values(this.entries)) {
      let drop = Math.floor(entries.size / 2);
      for (const key of entries.keys()) {
        if (drop-- <= 0) break;
        entries.delete(key);
      }
    }
    this.count = this.entries.typescript.size + this.entries.javascript.size;
  }

  get size(): number {
    return this.count;
  }
}

/** The cache the CLI and the HTTP server share within one process. */
export const sharedCellFactsCache = new CellFactsCache();
