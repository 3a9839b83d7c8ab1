/**
 * Which steps a partial run runs ("Run this step": `only`; "Run from this step": `from`), which it needs from
 * earlier results, and which it leaves out. Pure and engine-neutral: the local engine finds the needed results,
 * the Kubernetes engine will too.
 */
import { selectionError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';

export interface SelectableStep {
  name: string;
  dependencies: readonly string[];
  firstCell: number;
  ins: readonly { name: string }[];
  preludeBindings: readonly string[];
  readsProcess: boolean;
}

export interface StepSelection {
  /** Steps that run, never from the cache. */
  selected: ReadonlySet<string>;
  /**
   * Steps whose results the selected ones need, in pipeline order, each with the selected steps that need it:
   * each must come from a result exactly like the one it would compute now. Every ancestor, not only the
   * producers of what a step loads (at run time an input comes from the nearest ancestor that saved it, and
   * `process.env` from every ancestor); and every step earlier in the notebook that loads a value, uses prelude
   * state or reads `process` as a selected step does (`check`): a change it makes there that the analysis
   * missed would be seen by the selected step in the notebook, and stops a whole run (the plan check), so its
   * result is checked too. And their own ancestors, which decide their keys.
   */
  needed: readonly NeededStep[];
  /** Steps neither selected nor needed: recorded as skipped. */
  unselected: readonly string[];
}

export interface NeededStep {
  name: string;
  /** The selected steps that need it. */
  by: string[];
  /** `upstream`: a selected step depends on it; `check`: only its plan check concerns a selected step. */
  why: 'upstream' | 'check';
}

export interface SelectionRequest {
  only?: readonly string[];
  from?: string;
}

/** The selection a request asks for; undefined for a whole run. Coded errors for names the pipeline lacks. */
export function selectSteps(steps: readonly SelectableStep[], request: SelectionRequest): StepSelection | undefined {
  const { only, from } = request;
  if (only === undefined && from === undefined) return undefined;
  if (only !== undefined && from !== undefined) throw new CellflowError(selectionError.onlyAndFrom());
  const names = steps.map(s => s.name);
  for (const name of only ?? [from!]) {
    if (!names.includes(name)) throw new CellflowError(selectionError.unknownStep(name, names));
  }
  if (only !== undefined && only.length === 0) throw new CellflowError(selectionError.emptySelection());

  const ancestors = ancestorsOf(steps);
  const byName = new Map(steps.map(s => [s.name, s]));
  const selected = new Set<string>(only ?? names.filter(name => name === from || ancestors.get(name)!.has(from!)));

  const needed = new Map<string, NeededStep>();
  const need = (name: string, by: string, why: NeededStep['why']) => {
    const entry = needed.get(name) ?? { name, by: [], why };
    if (!entry.by.includes(by)) entry.by.push(by);
    if (why === 'upstream') entry.why = 'upstream';
    needed.set(name, entry);
  };
  for (const s of selected) {
    const step = byName.get(s)!;
    for (const other of steps) {
      if (selected.has(other.name)) continue;
      if (ancestors.get(s)!.has(other.name)) need(other.name, s, 'upstream');
      else if (other.firstCell < step.firstCell && touchesSame(other, step)) need(other.name, s, 'check');
    }
  }
  // A needed step's key depends on its own ancestors' results.
  for (const entry of [...needed.values()]) {
    for (const above of ancestors.get(entry.name)!) {
      if (!selected.has(above)) for (const by of entry.by) need(above, by, entry.why);
    }
  }

  // A needed step below a selected one would need that step's new result, which does not exist before the run.
  for (const entry of needed.values()) {
    const after = [...selected].find(s => ancestors.get(entry.name)!.has(s));
    if (after === undefined) continue;
    const step = byName.get(entry.name)!;
    throw new CellflowError(selectionError.gap({ step: entry.name, cellIndex: step.firstCell }, after, entry.by[0]!));
  }
  return {
    selected,
    needed: names.filter(name => needed.has(name)).map(name => needed.get(name)!),
    unselected: names.filter(name => !selected.has(name) && !needed.has(name))
  };
}

/**
 * Whether `earlier` could change, unseen by the analysis, what `later` works with: a value both load (a step
 * changes only what it loads, prelude state and `process.env` behind the analysis's back), a prelude binding both
 * keep, or `process` both read.
 */
function touchesSame(earlier: SelectableStep, later: SelectableStep): boolean {
  return (
    earlier.ins.some(i => later.ins.some(j => j.name === i.name)) ||
    earlier.preludeBindings.some(b => later.preludeBindings.includes(b)) ||
    (earlier.readsProcess && later.readsProcess)
  );
}

/** Every step's ancestors (transitive dependencies); steps come in pipeline order, dependencies first. */
function ancestorsOf(steps: readonly SelectableStep[]): Map<string, Set<string>> {
  const ancestors = new Map<string, Set<string>>();
  for (const step of steps) {
    const set = new Set<string>();
    for (const dep of step.dependencies) {
      set.add(dep);
      for (const above of ancestors.get(dep) ?? []) set.add(above);
    }
    ancestors.set(step.name, set);
  }
  return ancestors;
}
