/**
 * Which run and step `cellflow restore` brings back: a run id, or an experiment id (its best trial's run);
 * the step named, or the last one in run order that succeeded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { commandError, restoreError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { LocalEngine } from '../engine/local/engine.js';
import type { RunView } from '../engine/types.js';
import { ExperimentFiles } from '../tune/experiment-store.js';

export interface FoundRun {
  run: RunView;
  experimentId?: string;
  trial?: number;
}

/** `id` names an experiment when `.cellflow/experiments/<id>/` exists, a run otherwise (`unknown-run`). */
export async function findRun(workspace: string, id: string): Promise<FoundRun> {
  const stateDir = join(workspace, '.cellflow');
  const isExperiment = /^[0-9A-Za-z-]+$/.test(id) && existsSync(join(stateDir, 'experiments', id, 'experiment.json'));
  const engine = new LocalEngine(workspace);
  if (!isExperiment) return { run: await engine.get(id) };
  const experiment = new ExperimentFiles(stateDir).load(id);
  const best = experiment.trials.find(t => t.number === experiment.bestTrial && t.status === 'succeeded');
  if (!best?.runId) throw new CellflowError(restoreError.experimentHasNoBestTrial(id));
  return { run: await engine.get(best.runId), experimentId: id, trial: best.number };
}

/** The step to restore: `step` when it succeeded, else the last succeeded step in run order. */
export function chooseStep(run: RunView, step?: string): string {
  const succeeded = run.stepOrder.filter(name => run.steps[name]?.status === 'succeeded');
  if (step === undefined) {
    const last = succeeded.at(-1);
    if (!last) throw new CellflowError(restoreError.runHasNoSucceededStep(run.id));
    return last;
  }
  const record = run.steps[step];
  if (!record) throw new CellflowError(commandError.unknownStep(run.id, step, run.stepOrder));
  if (record.status !== 'succeeded')
    throw new CellflowError(restoreError.stepNotSucceeded(run.id, step, record.status, succeeded));
  return step;
}
