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
  ancestors: Map<string, StepSet>;
  diagnostics: Diagnostic[];
}

/**
 * A set of steps as a bitset over step positions: ancestor sets of long chains
 * are unions of unions, and word-wise OR keeps re-analysis of large notebooks cheap.
 */
export class StepSet {
  constructor(
    private readonly positions: ReadonlyMap<string, number>,
    readonly words: Uint32Array
  ) {}

  has(step: string): boolean {
    const position = this.positions.get(step);
    return position !== undefined && (this.words[position >>> 5] & (1 << (position & 31))) !== 0;
  }
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
  for (const cycle of findCycles(
    steps.map(s => s.name),
    dependencies
  )) {
    const [from, to] = [cycle[cycle.length - 2], cycle[cycle.length - 1]];
    const tag = steps.find(s => s.name === from)!.prev.find(p => p.step === to)!;
    diagnostics.push(tagError.dependencyCycle(tag.cellIndex, cycle));
    dependencies.set(
      from,
      dependencies.get(from)!.filter(d => d !== to)
    );
  }

  const order = topologicalOrder(steps, dependencies);
  const positions = new Map(steps.map((s, i) => [s.name, i]));
  const wordCount = (steps.length + 31) >>> 5;
  const ancestors = new Map<string, StepSet>();
  for (const name of order) {
    const words = new Uint32Array(wordCount);
    for (const dep of dependencies.get(name)!) {
      const position = positions.get(dep)!;
      words[position >>> 5] |= 1 << (position & 31);
      const inherited = ancestors.get(dep)!.words;
      for (let w = 0; w < wordCount; w++) words[w] |= inherited[w];
    }
    ancestors.set(name, new StepSet(positions, words));
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
  // Searching from the last step first makes the edge that closes a cycle the one that points to a step
  // starting later in the notebook: the `prev:` tag to blame, while the ordinary backward tags stay.
  for (const name of [...names].reverse()) if (!state.has(name)) visit(name);
  return cycles;
}

/** Kahn's algorithm; among ready steps the one whose first cell comes first goes first. */
function topologicalOrder(steps: readonly StepDraft[], dependencies: Map<string, string[]>): string[] {
  // `steps` is already in first-cell order, so a step's position is its priority.
  const position = new Map(steps.map((s, i) => [s.name, i]));
  const waitingOn = steps.map(s => dependencies.get(s.name)!.length);
  const dependents = steps.map(() => [] as number[]);
  steps.forEach((s, i) => dependencies.get(s.name)!.forEach(d => dependents[position.get(d)!].push(i)));
  const ready = new MinQueue();
  waitingOn.forEach((count, i) => count === 0 && ready.push(i));
  const order: string[] = [];
  while (ready.size > 0) {
    const next = ready.pop();
    order.push(steps[next].name);
    for (const dependent of dependents[next]) if (--waitingOn[dependent] === 0) ready.push(dependent);
  }
  return order;
}

/** A binary min-heap of step positions. */
class MinQueue {
  private readonly heap: number[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(value: number): void {
    const heap = this.heap;
    heap.push(value);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (heap[parent] <= heap[i]) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  pop(): number {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let smallest = i;
        if (l < heap.length && heap[l] < heap[smallest]) smallest = l;
        if (r < heap.length && heap[r] < heap[smallest]) smallest = r;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
