import type { StepRecord } from '../api/types';
import { recordHasEdges, runEdges } from '../run/run-edges';
import { pendingRun, XOR_DEPENDENCIES, XOR_STEPS } from './fixtures';

/** A record as the engine writes it now: each step with the steps it runs after. */
function runWithEdges() {
  const run = pendingRun();
  for (const name of XOR_STEPS) {
    run.steps[name] = { ...run.steps[name], after: XOR_DEPENDENCIES[name] };
  }
  return run;
}

describe('runEdges', () => {
  it('draws a run from its own record, whatever the notebook says today', () => {
    const run = runWithEdges();
    // Today's notebook: one step, no edges.
    const analyzedNow = { generate: [], evaluate: [] };
    expect(recordHasEdges(run)).toBe(true);
    expect(runEdges(run, analyzedNow)).toEqual(XOR_DEPENDENCIES);
  });

  it('falls back to the analysis for a record without edges, then to where inputs came from', () => {
    const run = pendingRun();
    const evaluate: StepRecord = {
      ...run.steps.evaluate,
      inputsFrom: { linear: 'train_linear', hidden: 'train_hidden', w: 'train_hidden' }
    };
    run.steps.evaluate = evaluate;
    const analyzed = { ...XOR_DEPENDENCIES } as Record<string, string[]>;
    delete analyzed.evaluate;
    expect(recordHasEdges(run)).toBe(false);
    expect(runEdges(run, analyzed)).toEqual(XOR_DEPENDENCIES);
  });

  it('needs the analysis when only some steps carry edges', () => {
    const run = runWithEdges();
    delete run.steps.generate.after;
    expect(recordHasEdges(run)).toBe(false);
  });
});
