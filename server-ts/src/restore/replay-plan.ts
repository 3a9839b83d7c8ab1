/**
 * The replay plan (pure): which of a step's cells, run again after the restored values are loaded, recompute
 * the values that could not be saved (ElasticNotebook's idea). A cell is replayed only when everything it
 * reads is restored, in the prelude, or made by an earlier replayed cell, and it changes no restored value
 * (replaying `model.fit(..)` would train the restored model again). Anything else is not restored, with the
 * cell the user has to run.
 */

/** What the plan needs to know of one cell of the step. */
export interface ReplayCell {
  cellIndex: number;
  /** Names the cell defines, assigns or mutates at top level. */
  writes: string[];
  /** Free names it reads (not defined earlier in the cell itself). */
  reads: string[];
}

export interface ReplayInput {
  /** The step's cells, in notebook order. */
  cells: ReplayCell[];
  /** Names loaded from the step's state (and outputs). */
  restored: ReadonlySet<string>;
  /** Names the prelude (imports, functions, parameters cells) defines. */
  prelude: ReadonlySet<string>;
  /** Names the step held that could not be saved. */
  unsaved: readonly string[];
}

export interface ReplayPlan {
  cells: number[];
  /** The unsaved names the replayed cells recompute. */
  names: string[];
  notRestored: { name: string; reason: string }[];
}

export function planReplay(input: ReplayInput): ReplayPlan {
  const unsaved = new Set(input.unsaved);
  const chosen = new Set<number>();
  const names: string[] = [];
  const notRestored: ReplayPlan['notRestored'] = [];
  for (const name of input.unsaved) {
    const needed = new Set<number>();
    const problem = collectMakers(name, input.cells.length, input, unsaved, needed, new Set());
    if (problem) notRestored.push({ name, reason: problem });
    else {
      for (const cell of needed) chosen.add(cell);
      names.push(name);
    }
  }
  return { cells: [...chosen].sort((a, b) => a - b), names, notRestored };
}

/**
 * Adds to `needed` the cells (before position `before`) that make `name`, and those their own reads need.
 * Returns why it cannot be done, or undefined.
 */
function collectMakers(
  name: string,
  before: number,
  input: ReplayInput,
  unsaved: ReadonlySet<string>,
  needed: Set<number>,
  visiting: Set<string>
): string | undefined {
  const makers = input.cells.slice(0, before).filter(cell => cell.writes.includes(name));
  if (makers.length === 0) return `no cell of the step before it defines \`${name}\``;
  if (visiting.has(name)) return undefined; // already being made by the cells above
  visiting.add(name);
  for (const cell of makers) {
    if (needed.has(cell.cellIndex)) continue;
    const changed = cell.writes.filter(w => input.restored.has(w));
    if (changed.length > 0) {
      return `run cell ${cell.cellIndex + 1} yourself: it also changes ${quoteAll(changed)}, which was restored, so it is not replayed`;
    }
    needed.add(cell.cellIndex);
    const position = input.cells.indexOf(cell);
    for (const read of cell.reads) {
      if (input.restored.has(read) || input.prelude.has(read) || !unsaved.has(read)) continue;
      const problem = collectMakers(read, position, input, unsaved, needed, visiting);
      if (problem) return `it needs \`${read}\`, which cannot be recomputed (${problem})`;
    }
  }
  return undefined;
}

function quoteAll(names: readonly string[]): string {
  return names.map(n => `\`${n}\``).join(', ');
}
