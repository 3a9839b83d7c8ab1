/**
 * A step runs only the prelude statements it needs: those defining a name the
 * step reads (directly or through other prelude statements), plus every
 * statement that defines nothing (it is there for its side effects). So a
 * training step does not load the plotting library the plotting step needs.
 * Each statement's names come from the cell analysis itself, run on the
 * statement alone: what it defines, and what it reads from outside itself.
 */
import { Parser, type Program } from 'acorn';
import { analyzeCell } from '../../analyze/cell-facts.js';

export interface PreludeStatement {
  cellIndex: number;
  /** Position among the cell's top-level statements. */
  index: number;
  defines: string[];
  reads: string[];
}

export function preludeStatements(cellIndex: number, js: string, sourceType: 'module' | 'script'): PreludeStatement[] {
  const program = Parser.parse(js, {
    ecmaVersion: 'latest',
    sourceType,
    allowAwaitOutsideFunction: true,
    allowHashBang: true,
    allowImportExportEverywhere: true
  }) as Program;
  return program.body.map((statement, index) => {
    const facts = analyzeCell(js.slice(statement.start, statement.end), 'javascript');
    return {
      cellIndex,
      index,
      defines: facts.defines.map(d => d.name),
      reads: [...new Set([...facts.reads.map(r => r.name), ...Object.values(facts.uses).flat()])]
    };
  });
}

/** The statements to keep, as `cellIndex:index` keys, for a step that reads `roots`. */
export function neededStatements(statements: readonly PreludeStatement[], roots: Iterable<string>): Set<string> {
  const needed = new Set(roots);
  const kept = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const statement of statements) {
      const key = `${statement.cellIndex}:${statement.index}`;
      if (kept.has(key)) continue;
      if (statement.defines.length > 0 && !statement.defines.some(name => needed.has(name))) continue;
      kept.add(key);
      for (const name of statement.reads) needed.add(name);
      changed = true;
    }
  }
  return kept;
}
