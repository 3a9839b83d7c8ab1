/**
 * A proposed split of a notebook without step tags into steps (`cellflow
 * annotate`, and later the sidebar's button). Pure: the notebook and its
 * analysis in, a proposal out; candidate taggings are checked by running the
 * same analysis on them, in memory.
 *
 * How: untagged cells that are only imports or only declarations become
 * `imports`/`functions` cells; every other untagged cell starts a step (a
 * cell that defines nothing joins the step above). Those steps first form a
 * chain in notebook order, which reads every name from the producer the
 * notebook run top to bottom would give. Cells merge while the chain's
 * analysis reports an error (a value that cannot be marshalled stays in one
 * step with every cell that uses it) or hands on a value not known to be data
 * (value-certainty.ts). Then the chain becomes a graph: each step after the
 * steps it reads from, after the earlier writers of names read across steps,
 * and after the earlier step with outside effects (files, the process). The
 * rule that makes it safe: the graph's analysis must have no errors and give
 * every step the same inputs from the same producers, the same parameters and
 * the same metric producers as the chain; otherwise the chain itself is
 * proposed, and when no chain is free of errors, one step.
 */
import type { Node, Program } from 'estree';
import { readCellAnnotation } from '../annotations/tags.js';
import { analyzeNotebook, type Analysis } from '../analyze/index.js';
import type { CellFactsCache } from '../analyze/cell-cache.js';
import type { CellFacts } from '../analyze/cell-facts.js';
import { isParseFailure, parseCellSource } from '../analyze/source.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Language, PipelineIR, StepInput } from '../ir.js';
import { cellSource, cellTags, type NotebookJson } from '../notebook/nbformat.js';
import { applyTags, tagsFor, type CellPlan } from './apply.js';
import { cellShape } from './cell-shape.js';
import { preludeDeclarations, statefulPreludeNames, writeTargets } from './hidden-state.js';
import { madeFrom, sharingFamilies } from './sharing.js';
import { stepNameFrom } from './step-names.js';
import {
  advanceContext,
  cellWrites,
  emptyValueContext,
  isTfModule,
  noteDeclarations,
  type CellWrites,
  type ValueContext
} from './value-certainty.js';

export interface ProposedStep {
  name: string;
  cells: number[];
  prev: string[];
  ins: StepInput[];
  outs: string[];
}

export interface Proposal {
  /** `split`: several steps; `one-step`: the notebook stays one step; `unchanged`: nothing proposed (see notes). */
  outcome: 'split' | 'one-step' | 'unchanged';
  /** Every code cell whose tags change, with its new tags. */
  cells: Array<{ index: number; tags: string[] }>;
  prelude: Array<{ index: number; kind: 'imports' | 'functions' }>;
  steps: ProposedStep[];
  notes: string[];
  /** The notebook's own errors, when they stop a proposal. */
  diagnostics: Diagnostic[];
}

export interface ProposeOptions {
  cache?: CellFactsCache;
}

/** Outside effects a step's order must keep: modules other than these may touch files, the network, the process. */
const EFFECT_FREE_MODULES = /^(node:)?(path|util|assert|url)$/;
const EFFECT_GLOBALS = new Set(['process', 'fetch', 'require', 'Deno']);

export function proposeSplit(notebook: NotebookJson, analysis: Analysis, options: ProposeOptions = {}): Proposal {
  const unchanged = (note: string, diagnostics: Diagnostic[] = []): Proposal => ({
    outcome: 'unchanged',
    cells: [],
    prelude: [],
    steps: [],
    notes: [note],
    diagnostics
  });
  const errors = analysis.ir.diagnostics.filter(d => d.severity === 'error');
  if (errors.length > 0) return unchanged('The notebook has errors: fix them before splitting it.', errors);

  const kinds = new Map<number, string>();
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type === 'code') kinds.set(index, readCellAnnotation(cellTags(cell), index).annotation.kind);
  });
  if ([...kinds.values()].includes('step'))
    return unchanged('The notebook already has step tags: its untagged cells continue the step above them.');
  const untagged = [...kinds].filter(([, kind]) => kind === 'continue').map(([index]) => index);
  if (untagged.length === 0) return unchanged('No untagged code cell: nothing to propose.');
  const metricsCell = [...kinds].find(([, kind]) => kind === 'pipeline-metrics')?.[0];
  if (metricsCell !== undefined && untagged.some(index => index > metricsCell))
    return unchanged(
      `Code cells follow the \`pipeline-metrics\` cell (cell ${metricsCell + 1}): no step may come after it, so the notebook stays one step.`
    );

  const search = new SplitSearch(notebook, analysis, kinds, untagged, options);
  return search.run();
}

/** The state of the search: which untagged cells are prelude cells, and the groups of the others. */
class SplitSearch {
  private readonly language: Language;
  private readonly programs = new Map<number, Program>();
  private readonly facts: ReadonlyMap<number, CellFacts>;
  private prelude = new Set<number>();
  private groups: number[][] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly notebook: NotebookJson,
    analysis: Analysis,
    private readonly kinds: ReadonlyMap<number, string>,
    private readonly untagged: readonly number[],
    private readonly options: ProposeOptions
  ) {
    this.language = analysis.ir.language;
    this.facts = analysis.facts;
    for (const [index, kind] of kinds) {
      if (kind === 'skip') continue;
      const parsed = parseCellSource(cellSource(notebook.cells[index]), this.language);
      if (!isParseFailure(parsed)) this.programs.set(index, parsed.program);
    }
  }

  run(): Proposal {
    for (const index of this.untagged) {
      const program = this.programs.get(index);
      const shape = program ? cellShape(program, cellSource(this.notebook.cells[index])) : 'work';
      if (shape !== 'work' && this.safeAsPrelude(index)) this.prelude.add(index);
    }
    for (const index of this.untagged) {
      if (this.prelude.has(index)) continue;
      const definesNothing = (this.facts.get(index)?.defines.length ?? 0) === 0;
      if (definesNothing && this.groups.length > 0) this.groups[this.groups.length - 1].push(index);
      else this.groups.push([index]);
    }

    if (this.groups.length === 0) {
      // Declarations only: as prelude cells they would leave a pipeline with no step at all.
      return {
        outcome: 'unchanged',
        cells: [],
        prelude: [],
        steps: [],
        notes: ['Every untagged cell only imports or declares: there is no work to split into steps.'],
        diagnostics: []
      };
    }
    const chain = this.settleChain();
    if (!chain) {
      this.notes.push('No split passes the analysis: the notebook stays one step.');
      return this.oneStep();
    }
    const names = this.stepNames(chain);
    const graph = this.graphPrev(chain, names);
    const graphIr = this.cleanTagging(names, graph);
    if (graphIr && sameFlow(graphIr, chain, names)) return this.proposal(graphIr, names);
    this.notes.push(
      'Run as a graph, the steps would read a value from another producer than the notebook run top to bottom: proposed as a chain in notebook order.'
    );
    const chainPrev = names.map((_, k) => (k === 0 ? [] : [names[k - 1]]));
    const chainIr = this.cleanTagging(names, chainPrev);
    return chainIr ? this.proposal(chainIr, names) : this.oneStep();
  }

  /** A prelude cell runs first in every step: only if no other cell touches its names and none reads them before. */
  private safeAsPrelude(index: number): boolean {
    const facts = this.facts.get(index);
    if (!facts) return false;
    const names = new Set(facts.defines.filter(d => d.how !== 'mutate' && !d.inFunction).map(d => d.name));
    for (const [other, otherFacts] of this.facts) {
      if (other === index) continue;
      // A method call on a module reads as a mutation (`os.tmpdir()`); a real one the run's plan check catches.
      if (otherFacts.defines.some(d => d.how !== 'mutate' && names.has(d.name))) return false;
      if (other < index && [...otherFacts.reads, ...otherFacts.keeps].some(r => names.has(r.name))) return false;
    }
    return true;
  }

  /** Merges groups until the chain of them analyses without errors and hands on only values known to be data. */
  private settleChain(): PipelineIR | undefined {
    const ids = () => this.groups.map((_, k) => `s${k + 1}`);
    for (let round = 0; round < 2 * this.untagged.length + 4; round++) {
      const chainIds = ids();
      const ir = this.analyzeTagging(
        chainIds,
        chainIds.map((_, k) => (k === 0 ? [] : [chainIds[k - 1]]))
      );
      const error = ir.diagnostics.find(d => d.severity === 'error');
      if (error) {
        if (!this.resolveError(error, ir)) return undefined;
        continue;
      }
      const unsure = this.unsureHandOn(ir);
      if (unsure) {
        this.mergeGroups(unsure.from, unsure.to, `\`${unsure.name}\` is not known to be data a step can hand on`);
        continue;
      }
      const hidden = this.hiddenStateUse(ir);
      if (!hidden) return ir;
      this.mergeGroups(hidden.from, hidden.to, hidden.why);
    }
    return undefined;
  }

  private resolveError(error: Diagnostic, ir: PipelineIR): boolean {
    const cell = error.cellIndex;
    if (cell !== null && this.prelude.has(cell)) {
      this.demote(cell, `${error.code}: ${error.message}`);
      return true;
    }
    const group = cell === null ? -1 : this.groups.findIndex(g => g.includes(cell));
    if (error.code === 'unmarshallable-value' && group >= 0) {
      const definition = this.facts
        .get(cell!)
        ?.defines.find(d => d.line === error.line && d.column === error.column && d.how !== 'mutate');
      const from = `s${group + 1}`;
      const consumers = ir.steps
        .filter(s => s.ins.some(i => i.from === from && (!definition || i.name === definition.name)))
        .map(s => Number(s.name.slice(1)) - 1);
      const to = Math.max(group + 1, ...consumers);
      if (to < this.groups.length) {
        this.mergeGroups(group, to, `\`${definition?.name ?? '?'}\` cannot be handed between steps`);
        return true;
      }
    }
    if (group >= 0 && this.groups.length > 1) {
      const [from, to] = [Math.max(0, group - 1), Math.min(this.groups.length - 1, group + 1)];
      this.mergeGroups(from, to, `${error.code} when split`);
      return true;
    }
    if (this.prelude.size > 0) {
      for (const index of [...this.prelude]) this.demote(index, `${error.code}`);
      return true;
    }
    if (this.groups.length > 1) {
      this.mergeGroups(0, this.groups.length - 1, `${error.code} when split`);
      return true;
    }
    return false;
  }

  /** A prelude candidate that the analysis refuses as one is plain work again, in the group around it. */
  private demote(index: number, why: string): void {
    this.prelude.delete(index);
    this.notes.push(`Cell ${index + 1} stays a step cell, not a prelude cell (${why}).`);
    const inside = this.groups.find(g => g[0] < index && g[g.length - 1] > index);
    if (inside) {
      inside.push(index);
      inside.sort((a, b) => a - b);
      return;
    }
    const after = this.groups.findIndex(g => g[0] > index);
    if (after < 0) this.groups.push([index]);
    else this.groups.splice(after, 0, [index]);
  }

  private mergeGroups(from: number, to: number, why: string): void {
    const cells = this.groups.slice(from, to + 1).flat();
    this.groups.splice(from, to - from + 1, cells);
    const shown = cells.map(c => c + 1);
    this.notes.push(`Cells ${shown.join(', ')} stay in one step: ${why}.`);
  }

  /** The first value the chain hands between steps that is not known to be data or a tfjs value. */
  private unsureHandOn(ir: PipelineIR): { from: number; to: number; name: string } | undefined {
    const writes = this.cellWrites().writes;
    for (const step of ir.steps) {
      const to = Number(step.name.slice(1)) - 1;
      for (const input of step.ins) {
        const from = Number(input.from.slice(1)) - 1;
        if (this.handedOnUnsure(this.groups[from], input.name, writes)) return { from, to, name: input.name };
      }
    }
    return undefined;
  }

  /**
   * Groups that share state no step hands on: a prelude function or class that changes prelude state, used by
   * several groups; a global written by one group (`globalThis.x = ..`, `Array.prototype.f = ..`) before later ones.
   */
  private hiddenStateUse(ir: PipelineIR): { from: number; to: number; why: string } | undefined {
    const preludeNames = new Set(ir.prelude.flatMap(p => p.defines));
    const declarations = ir.prelude.flatMap(p => {
      const program = this.programs.get(p.cellIndex);
      return program ? preludeDeclarations(program.body as Node[]) : [];
    });
    const stateful = statefulPreludeNames(declarations, preludeNames);
    // A prelude definition using a stateful one changes that state too.
    for (let grew = true; grew;) {
      grew = false;
      for (const p of ir.prelude) {
        for (const [name, used] of Object.entries(this.facts.get(p.cellIndex)?.uses ?? {})) {
          if (stateful.has(name) || !used.some(u => stateful.has(u))) continue;
          stateful.add(name);
          grew = true;
        }
      }
    }
    const readers = (name: string) =>
      this.groups.flatMap((cells, k) =>
        cells.some(c => (this.facts.get(c)?.reads ?? []).some(r => r.name === name)) ? [k] : []
      );
    for (const name of stateful) {
      const using = readers(name);
      if (using.length > 1)
        return {
          from: using[0],
          to: using[using.length - 1],
          why: `\`${name}\` changes prelude state, which every step starts afresh`
        };
    }
    const variables = this.variables;
    for (let k = 0; k < this.groups.length - 1; k++) {
      for (const cell of this.groups[k]) {
        const program = this.programs.get(cell);
        const facts = this.facts.get(cell);
        if (!program || !facts) continue;
        const free = new Set([...facts.reads.map(r => r.name), ...facts.defines.map(d => d.name)]);
        const global = [...writeTargets(program).roots].find(
          root => free.has(root) && !variables.has(root) && !preludeNames.has(root) && root !== 'process'
        );
        if (global)
          return {
            from: k,
            to: this.groups.length - 1,
            why: `cell ${cell + 1} changes the global \`${global}\`, which no step hands on`
          };
      }
    }
    return undefined;
  }

  private handedOnUnsure(cells: readonly number[], name: string, writes: ReadonlyMap<number, CellWrites>): boolean {
    let unsure = false;
    for (const index of cells) {
      const cellWrites = writes.get(index);
      const definition = this.facts.get(index)?.defines.find(d => d.name === name);
      if (!definition || !cellWrites) continue;
      if (definition.kind !== 'value' || cellWrites.unsure.has(name)) unsure = true;
      else if (definition.how !== 'mutate') unsure = !cellWrites.data.has(name) && !cellWrites.tf.has(name);
    }
    return unsure;
  }

  /** What each code cell writes, judged in notebook order with the current prelude. */
  private cellWrites(): { writes: Map<number, CellWrites>; context: ValueContext } {
    const context = emptyValueContext();
    const writes = new Map<number, CellWrites>();
    for (const [index, kind] of this.kinds) {
      const program = this.programs.get(index);
      const facts = this.facts.get(index);
      if (!program || !facts || kind === 'skip') continue;
      const role =
        kind === 'imports' || kind === 'functions'
          ? kind
          : this.prelude.has(index)
            ? cellShape(program, cellSource(this.notebook.cells[index]))
            : 'work';
      noteDeclarations(
        program,
        context,
        role,
        facts.imports.map(i => i.specifier)
      );
      const declared = new Set(facts.defines.filter(d => d.how !== 'mutate').map(d => d.name));
      const cell = cellWrites(program, context, declared);
      writes.set(index, cell);
      advanceContext(
        context,
        cell,
        facts.defines.filter(d => d.how !== 'mutate').map(d => d.name)
      );
    }
    return { writes, context };
  }

  /**
   * The graph: each step after the steps it reads from; after the earlier writer of each name that is read across
   * steps or is a metric (so the nearest producer is the notebook's); after the earlier step with outside effects.
   */
  private graphPrev(chain: PipelineIR, names: readonly string[]): string[][] {
    const indexOf = (id: string) => Number(id.slice(1)) - 1;
    const edges = this.groups.map(() => new Set<number>());
    const crossing = new Set(chain.metrics.map(m => m.name));
    for (const step of chain.steps) {
      for (const input of step.ins) {
        edges[indexOf(step.name)].add(indexOf(input.from));
        crossing.add(input.name);
      }
    }
    const lastWriter = new Map<string, number>();
    const { context } = this.cellWrites();
    const family = this.sharingFamilies();
    let lastEffect: number | undefined;
    this.groups.forEach((cells, k) => {
      // A step that changes a value in place may change what another name shares with it, unseen
      // (`copy = { ...base }; copy.inner.n = 7`): later steps reading any name of its family run after it.
      // Globals a call "mutates" (`Math.min(..)` reads as a method call) are no notebook value.
      const mutated = cells.flatMap(
        c => this.facts.get(c)?.defines.filter(d => d.how === 'mutate' && this.variables.has(d.name)) ?? []
      );
      const step = chain.steps.find(s => s.name === `s${k + 1}`);
      // A name it takes in and hands on again is changed too (`addRow(rows, x)` with a prelude function).
      const rewritten = (step?.ins ?? []).map(i => i.name).filter(name => step!.outs.includes(name));
      // A write through a call's result (`pick(rows)[0].v = 3`) may change what the call was given.
      const through = cells.flatMap(c =>
        this.programs.has(c) ? [...writeTargets(this.programs.get(c)!).through].filter(n => this.variables.has(n)) : []
      );
      const touched = new Set([...mutated.map(d => d.name), ...rewritten, ...through].map(family));
      if (touched.size > 0) {
        for (let later = k + 1; later < this.groups.length; later++) {
          const reads = this.groups[later].flatMap(c => this.facts.get(c)?.reads ?? []);
          if (reads.some(r => touched.has(family(r.name)))) edges[later].add(k);
        }
      }
      const written = new Set(cells.flatMap(c => this.facts.get(c)?.defines.map(d => d.name) ?? []));
      for (const name of written) {
        const previous = lastWriter.get(name);
        if (crossing.has(name) && previous !== undefined) edges[k].add(previous);
        lastWriter.set(name, k);
      }
      if (cells.some(c => this.hasEffects(c, context))) {
        if (lastEffect !== undefined) edges[k].add(lastEffect);
        lastEffect = k;
      }
    });
    // Only the nearest: a step already reached through another is left out.
    const ancestors: Array<Set<number>> = [];
    return edges.map((direct, k) => {
      const all = new Set<number>();
      for (const d of direct) {
        all.add(d);
        for (const a of ancestors[d]) all.add(a);
      }
      ancestors[k] = all;
      const nearest = [...direct].filter(d => ![...direct].some(o => o !== d && ancestors[o].has(d)));
      return nearest.sort((a, b) => a - b).map(d => names[d]);
    });
  }

  /** Names some step cell declares or assigns: the notebook's variables. */
  private get variables(): Set<string> {
    return new Set(
      this.groups.flat().flatMap(
        c =>
          this.facts
            .get(c)
            ?.defines.filter(d => d.how !== 'mutate')
            .map(d => d.name) ?? []
      )
    );
  }

  /** Names made from one another, joined (sharing.ts). */
  private sharingFamilies(): (name: string) => string {
    const programs = this.groups.flat().flatMap(c => (this.programs.has(c) ? [this.programs.get(c)!] : []));
    return sharingFamilies(programs.map(madeFrom), this.variables);
  }

  private hasEffects(index: number, context: ValueContext): boolean {
    const reads = this.facts.get(index)?.reads ?? [];
    return reads.some(r => {
      if (EFFECT_GLOBALS.has(r.name)) return true;
      const specifier = context.imports.get(r.name);
      return specifier !== undefined && !isTfModule(specifier) && !EFFECT_FREE_MODULES.test(specifier);
    });
  }

  /** Named after what each step hands on (else what it defines), unique, in Kale's grammar. */
  private stepNames(chain: PipelineIR): string[] {
    const taken = new Set<string>();
    return this.groups.map((cells, k) => {
      const outs = new Set(chain.steps.find(s => s.name === `s${k + 1}`)?.outs ?? []);
      // Values first: a step that also declares a class or function is named after what it computes.
      const all = cells.flatMap(c => this.facts.get(c)?.defines ?? []).filter(d => !d.inFunction);
      const values = all.filter(d => d.kind === 'value');
      const definitions = values.length > 0 ? values : all;
      const declared = [...new Set(definitions.filter(d => d.how !== 'mutate').map(d => d.name))];
      const mutated = [...new Set(definitions.filter(d => d.how === 'mutate').map(d => d.name))];
      const handedOn = [...new Set([...declared, ...mutated])].filter(n => outs.has(n));
      const words = handedOn.length > 0 ? handedOn : declared.length > 0 ? declared : mutated;
      const name = stepNameFrom(words, taken, `step_${k + 1}`);
      taken.add(name);
      return name;
    });
  }

  /** The notebook tagged with the current prelude and groups, analysed. */
  private analyzeTagging(names: readonly string[], prev: readonly string[][]): PipelineIR {
    return analyzeNotebook(this.tagged(names, prev), { cache: this.options.cache }).ir;
  }

  /** The same, when it has no error. */
  private cleanTagging(names: readonly string[], prev: readonly string[][]): PipelineIR | undefined {
    const ir = this.analyzeTagging(names, prev);
    return hasErrors(ir.diagnostics) ? undefined : ir;
  }

  private tagged(names: readonly string[], prev: readonly string[][]): NotebookJson {
    return applyTags(this.notebook, this.plannedTags(names, prev));
  }

  private plannedTags(names: readonly string[], prev: readonly string[][]): Map<number, string[]> {
    const groupOf = new Map<number, number>();
    this.groups.forEach((cells, k) => cells.forEach(c => groupOf.set(c, k)));
    const tags = new Map<number, string[]>();
    let previousGroup: number | undefined;
    for (const [index, kind] of this.kinds) {
      if (kind === 'skip') continue;
      const existing = cellTags(this.notebook.cells[index]);
      const group = groupOf.get(index);
      let plan: CellPlan | undefined;
      if (this.prelude.has(index)) {
        const shape = cellShape(this.programs.get(index)!, cellSource(this.notebook.cells[index]));
        plan = { kind: shape === 'imports' ? 'imports' : 'functions' };
      } else if (group !== undefined) {
        const first = this.groups[group][0] === index;
        plan =
          previousGroup === group
            ? { kind: 'continue' }
            : { kind: 'step', step: names[group], prev: first ? prev[group] : [] };
      }
      previousGroup = group;
      if (plan) tags.set(index, tagsFor(existing, plan));
    }
    return tags;
  }

  private proposal(ir: PipelineIR, names: readonly string[]): Proposal {
    const planned = this.plannedTags(
      names,
      ir.steps.length === names.length ? names.map(n => ir.steps.find(s => s.name === n)!.dependencies) : []
    );
    const cells = [...planned]
      .filter(([index, tags]) => !sameTags(cellTags(this.notebook.cells[index]), tags))
      .map(([index, tags]) => ({ index, tags }));
    return {
      outcome: ir.steps.length > 1 ? 'split' : 'one-step',
      cells,
      prelude: ir.prelude.map(p => ({ index: p.cellIndex, kind: p.kind })),
      steps: ir.steps.map(s => ({ name: s.name, cells: s.cells, prev: s.dependencies, ins: s.ins, outs: s.outs })),
      notes: this.notes,
      diagnostics: []
    };
  }

  /** Every untagged cell in one step, prelude cells kept when that analyses; else nothing proposed. */
  private oneStep(): Proposal {
    for (const keepPrelude of [true, false]) {
      if (!keepPrelude) this.prelude.clear();
      const work = this.untagged.filter(i => !this.prelude.has(i));
      if (work.length === 0) continue;
      this.groups = [work];
      const chain = this.cleanTagging(['s1'], [[]]);
      if (!chain) continue;
      const names = this.stepNames(chain);
      const ir = this.cleanTagging(names, [[]]);
      if (ir) return this.proposal(ir, names);
    }
    return {
      outcome: 'unchanged',
      cells: [],
      prelude: [],
      steps: [],
      notes: [...this.notes, 'Even as one step the tagged notebook does not analyse cleanly: nothing proposed.'],
      diagnostics: []
    };
  }
}

/** The graph gives every step the inputs, from the producers, parameters and metric producers the chain gives. */
function sameFlow(graph: PipelineIR, chain: PipelineIR, names: readonly string[]): boolean {
  const named = (id: string) => names[Number(id.slice(1)) - 1];
  const key = (step: string, inputs: readonly StepInput[], parameters: readonly string[]) =>
    JSON.stringify([step, [...inputs].map(i => [i.name, i.from]).sort(), [...parameters].sort()]);
  const chainKeys = chain.steps
    .map(s =>
      key(
        named(s.name),
        s.ins.map(i => ({ name: i.name, from: named(i.from) })),
        s.parameters
      )
    )
    .sort();
  const graphKeys = graph.steps.map(s => key(s.name, s.ins, s.parameters)).sort();
  const metrics = (ir: PipelineIR, map: (s: string) => string) =>
    JSON.stringify(ir.metrics.map(m => [m.name, m.step === null ? null : map(m.step)]).sort());
  return JSON.stringify(chainKeys) === JSON.stringify(graphKeys) && metrics(chain, named) === metrics(graph, s => s);
}

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((tag, i) => tag === b[i]);
}
