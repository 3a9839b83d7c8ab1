/**
 * A step runs only the prelude statements it needs, so a training step does
 * not load the plotting library only the plotting step uses. Each statement's
 * names come from the cell analysis itself, run on the statement alone: what
 * it declares, assigns or mutates (its targets) and what it reads.
 *
 * A statement is kept when
 * - it changes something outside the prelude (`Array.prototype.x = ..`,
 *   `process.env.K = ..`, `Math.random = ..`, a bare call): a side effect;
 * - one of its targets is needed (a name the step reads, or a kept statement
 *   reads or assigns);
 * - it only prints (`console.log(..)`) what is loaded anyway.
 */
import type { Statement } from 'estree';
import { parseJavaScript } from './parse-javascript.js';
import { analyzeCell } from '../../analyze/cell-facts.js';

export interface PreludeStatement {
  cellIndex: number;
  /** Position among the cell's top-level statements. */
  index: number;
  /** Names it declares, assigns or mutates when it runs (not inside function bodies, which run when called). */
  effects: string[];
  /** Names it declares, assigns or mutates anywhere, function bodies included. */
  targets: string[];
  /** Names it declares (or assigns at top level, as ijavascript notebooks do). */
  declares: string[];
  reads: string[];
  printsOnly: boolean;
}

export function preludeStatements(cellIndex: number, js: string, sourceType: 'module' | 'script'): PreludeStatement[] {
  const program = parseJavaScript(js, sourceType);
  return program.body.map((node, index) => {
    const statement = node as unknown as Statement & { start: number; end: number };
    const facts = analyzeCell(js.slice(statement.start, statement.end), 'javascript');
    return {
      cellIndex,
      index,
      effects: facts.defines.filter(d => !d.inFunction).map(d => d.name),
      targets: facts.defines.map(d => d.name),
      declares: facts.defines
        .filter(d => d.how === 'declare' || (d.how === 'assign' && !d.inFunction))
        .map(d => d.name),
      reads: [...new Set([...facts.reads.map(r => r.name), ...Object.values(facts.uses).flat()])],
      printsOnly: isConsoleCall(statement)
    };
  });
}

/** The statements to keep, as `cellIndex:index` keys, for a step that reads `roots`. */
export function neededStatements(statements: readonly PreludeStatement[], roots: Iterable<string>): Set<string> {
  const declared = new Set(statements.flatMap(s => s.declares));
  const needed = new Set(roots);
  const kept = new Set<string>();
  const wanted = (s: PreludeStatement): boolean => {
    if (s.effects.length === 0) return !s.printsOnly || s.reads.every(name => !declared.has(name) || needed.has(name));
    return s.effects.some(name => !declared.has(name) || needed.has(name));
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const statement of statements) {
      const key = `${statement.cellIndex}:${statement.index}`;
      if (kept.has(key) || !wanted(statement)) continue;
      kept.add(key);
      for (const name of [...statement.reads, ...statement.targets]) needed.add(name);
      changed = true;
    }
  }
  return kept;
}

function isConsoleCall(statement: Statement): boolean {
  if (statement.type !== 'ExpressionStatement') return false;
  const call = statement.expression;
  return (
    call.type === 'CallExpression' &&
    call.callee.type === 'MemberExpression' &&
    call.callee.object.type === 'Identifier' &&
    call.callee.object.name === 'console'
  );
}
