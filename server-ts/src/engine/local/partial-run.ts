/**
 * Before a partial run starts: the result each needed step is taken from. Keys are chained as a run chains
 * them: walking the needed steps in pipeline order, each step's current key is computed from the reused results
 * above it (where its inputs come from, their keys, the env it inherits), and only a result made under that very
 * key is taken. So a selected step loads exactly what a whole run would hand it; anything else refuses here,
 * before a step runs.
 */
import type { LocalPlan } from '../../compile/local/plan.js';
import { selectionError } from '../../diagnostics/codes.js';
import { CellflowError } from '../../diagnostics/diagnostic.js';
import type { ParameterValue } from '../../ir.js';
import type { StepSelection } from '../step-selection.js';
import type { PastResults, ReusedResult } from './past-results.js';
import { PlanCheck, type FinishedStep } from './plan-check.js';
import { currentStepKey, resultKey } from './step-key.js';

export interface PartialRun {
  /** Steps that run, never from the cache. */
  selected: ReadonlySet<string>;
  /** Steps recorded as skipped: not selected, and not needed by a selected step. */
  unselected: readonly string[];
  /** The needed steps, each with the result it is taken from, in pipeline order. */
  reused: ReadonlyMap<string, ReusedResult>;
}

export function planPartialRun(
  plan: LocalPlan,
  selection: StepSelection,
  parameters: Record<string, ParameterValue>,
  past: PastResults,
  /** The run's workspace files' key (workspace-key.ts); null when it works in the live folder. */
  workspace: string | null
): PartialRun {
  const check = new PlanCheck(plan);
  const finished = new Map<string, FinishedStep>();
  const reused = new Map<string, ReusedResult>();
  const keys = new Map<string, string>();
  for (const { name, by, why: how } of selection.needed) {
    const step = plan.steps.find(s => s.name === name)!;
    const current = currentStepKey(check, step, finished, parameters, s => keys.get(s)!, workspace);
    if ('error' in current) throw new CellflowError(current.error);
    const found = past.find(name, current.key);
    if (!found) {
      const why = past.whyMissing(step, current.key, parameters, keys, workspace);
      throw new CellflowError(
        selectionError.upstreamResultMissing({ step: name, cellIndex: step.firstCell }, by, how, why)
      );
    }
    // A whole run would stop here (a change the pipeline cannot hand on exactly): so does this one, before it runs.
    const [conflict] = check.conflicts(name, found.result);
    if (conflict) throw new CellflowError(conflict);
    finished.set(name, { outputsDir: found.outputsDir, result: found.result });
    keys.set(name, resultKey(current.key, found.result.files));
    reused.set(name, found);
  }
  return { selected: selection.selected, unselected: selection.unselected, reused };
}
