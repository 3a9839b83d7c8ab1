/**
 * The step graph: `prev:` edges checked (known, earlier, acyclic), a
 * topological order that keeps notebook order among independent steps, and
 * each step's ancestors.
 */
import { tagError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StepDraft } from './blocks.js';

export interface StepGraph {
  /** Valid direct dependencies per step. */
  dependencies: Map<string, string[]>;
  order: string[];
  ancestors: Map<string, Set<string>>;
  diagnostics: Diagnostic[];
}

export function buildStepGraph(steps: readonly StepDraft[]): StepGraph {
  const diagnostics: Diagnostic[] = [];
  const firstCell = new Map(steps.map(s => [s.name, s.cells[0]]));
  const dependencies = new Map<string, string[]>();

  for (const step of steps) {
    const deps: string[] = [];
    for (const prev of step.prev) {
      const prevFirst = firstCell.get(prev.step);
      if (prevFirst === undefined) diagnostics.push(tagError.unknownPrev(prev.cellIndex, step.name, prev.step));
      else if (prevFirst > prev.cellIndex) diagnostics.push(tagError.laterPrev(prev.cellIndex, step.name, prev.step));
      else deps.push(prev.step);
    }
    dependencies.set(step.name, deps);
  }

  // Break cycles (reported once each) so the rest of the analysis can go on.
  for (const cycle of findCycles(steps.map(s => s.name), dependencies)) {
    const [from, to] = [cycle[cycle.length - 2], cycle[cycle.length - 1]];
    const tag = steps.find(s => s.name === from)!.prev.find(p => p.step === to)!;
    diagnostics.push(tagError.dependencyCycle(tag.cellIndex, cycle));
    dependencies.set(from, dependencies.get(from)!.filter(d => d !== to));
  }

  const order = topologicalOrder(steps, dependencies);
  const ancestors = new Map<string, Set<string>>();
  for (const name of order) {
    const set = new Set<string>();
    for (const dep of dependencies.get(name)!) {
      set.add(dep);
      for (const a of ancestors.get(dep)!) set.add(a);
    }
    ancestors.set(name, set);
  }
  return { dependencies, order, ancestors, diagnostics };
}

/** Each cycle as a path `a → b → … → a`, found by depth-first search. */
function findCycles(names: string[], dependencies: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'active');
    path.push(name);
    for (const dep of dependencies.get(name) ?? []) {
      if (state.get(dep) === 'active') cycles.push([...path.slice(path.indexOf(dep)), dep]);
      else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(name, 'done');
  };
  for (const name of names) if (!state.has(name)) visit(name);
  return cycles;
}

/** Kahn's algorithm; among ready steps the one whose first cell comes first goes first. */
function topologicalOrder(steps: readonly StepDraft[], dependencies: Map<string, string[]>): string[] {
  const remaining = new Map(steps.map(s => [s.name, new Set(dependencies.get(s.name))]));
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = steps.find(s => remaining.has(s.name) && remaining.get(s.name)!.size === 0);
    if (!ready) break; // only after a cycle that could not be broken; never expected
    order.push(ready.name);
    remaining.delete(ready.name);
    for (const deps of remaining.values()) deps.delete(ready.name);
  }
  return order;
}
