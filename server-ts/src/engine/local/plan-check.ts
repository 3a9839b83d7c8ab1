/**
 * The run checks the plan. Static analysis decides what each step hands on;
 * each step then reports what it actually saved and changed (StepResult).
 * From those reports this module, pure, decides where each step's inputs
 * come from at run time (the nearest upstream step that saved the name, so
 * a write the analysis missed reaches downstream steps as in the notebook),
 * which `process.env` changes a step inherits, and which changes no pipeline
 * can reproduce (a step that is not downstream of the change but comes later
 * in the notebook would see it there): those stop the run with a diagnostic.
 */
import { planCheckError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LocalPlan, PlanStep } from '../../compile/local/plan.js';
import type { EnvChange } from '../../runtime/state-watch.js';
import type { StepContextFile, StepResult } from '../../runtime/step-context.js';

/** A finished step as the check needs it: where its outputs are and what it reported. */
export interface FinishedStep {
  outputsDir: string;
  result: StepResult;
}

export type ResolvedInputs = { inputs: StepContextFile['inputs'] } | { error: Diagnostic };

export class PlanCheck {
  private readonly steps: Map<string, PlanStep>;
  /** Every step's ancestors (transitive `prev:`). */
  private readonly ancestors = new Map<string, Set<string>>();

  constructor(private readonly plan: LocalPlan) {
    this.steps = new Map(plan.steps.map(s => [s.name, s]));
    for (const step of plan.steps) {
      const set = new Set<string>();
      for (const dep of step.dependencies) {
        set.add(dep);
        for (const above of this.ancestors.get(dep) ?? []) set.add(above);
      }
      this.ancestors.set(step.name, set);
    }
  }

  isDownstream(step: string, of: string): boolean {
    return this.ancestors.get(step)?.has(of) ?? false;
  }

  /** Is either step downstream of the other? (file-dependencies.ts) */
  related(a: string, b: string): boolean {
    return this.isDownstream(a, b) || this.isDownstream(b, a);
  }

  firstCell(step: string): number {
    return this.steps.get(step)!.firstCell;
  }

  /**
   * Each input comes from the nearest upstream step that saved it: the one all other savers are upstream of.
   * Savers in parallel branches are ambiguous (the notebook would see whichever runs last there).
   */
  resolveInputs(name: string, finished: ReadonlyMap<string, FinishedStep>): ResolvedInputs {
    const step = this.steps.get(name)!;
    const inputs: StepContextFile['inputs'] = {};
    for (const input of step.ins) {
      const savers = [...this.ancestors.get(name)!].filter(a => finished.get(a)?.result.saved.includes(input.name));
      if (savers.length === 0) {
        // The planned producer has not finished, or saved nothing under that name (it then fails to load).
        const planned = finished.get(input.from);
        if (planned) inputs[input.name] = { from: input.from, dir: planned.outputsDir };
        continue;
      }
      const nearest = savers.filter(s => savers.every(other => other === s || this.isDownstream(s, other)));
      if (nearest.length !== 1) {
        return { error: planCheckError.ambiguousRunProducer(this.place(name), input.name, savers) };
      }
      inputs[input.name] = { from: nearest[0]!, dir: finished.get(nearest[0]!)!.outputsDir };
    }
    return { inputs };
  }

  /** The `process.env` a step starts its cells with: its ancestors' changes, in pipeline order. */
  envFor(name: string, finished: ReadonlyMap<string, FinishedStep>): EnvChange {
    const set: Record<string, string> = {};
    const unset = new Set<string>();
    for (const step of this.plan.steps) {
      if (!this.isDownstream(name, step.name)) continue;
      const change = finished.get(step.name)?.result.state.env;
      if (!change) continue;
      for (const [key, value] of Object.entries(change.set)) {
        set[key] = value;
        unset.delete(key);
      }
      for (const key of change.unset) {
        delete set[key];
        unset.add(key);
      }
    }
    return { set, unset: [...unset] };
  }

  /** What a finished step changed that no pipeline run can reproduce. */
  conflicts(writer: string, result: StepResult): Diagnostic[] {
    const step = this.steps.get(writer)!;
    const place = this.place(writer);
    const later = this.plan.steps.filter(s => s.name !== writer && s.firstCell > step.firstCell);
    const notDownstream = later.filter(s => !this.isDownstream(s.name, writer));
    const diagnostics: Diagnostic[] = [];

    for (const write of result.unplannedWrites) {
      const readers = notDownstream.filter(s => s.ins.some(i => i.name === write.name)).map(s => s.name);
      if (readers.length > 0) diagnostics.push(planCheckError.unplannedWriteSeenLater(place, write.name, readers));
    }
    for (const binding of result.state.prelude) {
      // The prelude runs afresh in every step, downstream ones too: any later step using the binding differs.
      const readers = later.filter(s => s.preludeBindings.includes(binding.name)).map(s => s.name);
      if (readers.length > 0) diagnostics.push(planCheckError.preludeStateChanged(place, binding, readers));
    }
    if (result.state.globals.length > 0 && later.length > 0) {
      diagnostics.push(
        planCheckError.globalChanged(
          place,
          result.state.globals,
          later.map(s => s.name)
        )
      );
    }
    const envKeys = [...Object.keys(result.state.env.set), ...result.state.env.unset];
    if (envKeys.length > 0) {
      const readers = notDownstream.filter(s => s.readsProcess).map(s => s.name);
      if (readers.length > 0) diagnostics.push(planCheckError.envChangeNotDownstream(place, envKeys, readers));
    }
    return diagnostics;
  }

  private place(name: string): { step: string; cellIndex: number } {
    return { step: name, cellIndex: this.steps.get(name)!.firstCell };
  }
}
