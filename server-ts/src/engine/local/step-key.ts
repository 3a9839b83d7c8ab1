/**
 * A step's cache key as of now, from the results of the steps before it: where each input comes from (the
 * nearest upstream step that saved it), that producer's key, the `process.env` changes it inherits, and the keys
 * of the steps it runs after (a file such a step wrote is read through the run's copy, no value needed). One
 * function for a run starting a step and for a partial run finding the results it reuses, so both agree.
 */
import type { PlanStep } from '../../compile/local/plan.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ParameterValue } from '../../ir.js';
import type { EnvChange } from '../../runtime/state-watch.js';
import type { StepContextFile } from '../../runtime/step-context.js';
import type { FileAccessReport } from '../../runtime/file-access.js';
import { createHash } from 'node:crypto';
import type { FinishedStep, PlanCheck } from './plan-check.js';
import { stepCacheKey } from './step-cache.js';

export type CurrentStepKey = { key: string; inputs: StepContextFile['inputs']; env: EnvChange } | { error: Diagnostic };

export function currentStepKey(
  check: PlanCheck,
  step: PlanStep,
  finished: ReadonlyMap<string, FinishedStep>,
  parameters: Record<string, ParameterValue>,
  /** A finished step's key. */
  keyOf: (step: string) => string,
  /** The run's workspace files' key (workspace-key.ts); null when it works in the live folder. */
  workspace: string | null
): CurrentStepKey {
  const resolved = check.resolveInputs(step.name, finished);
  if ('error' in resolved) return resolved;
  const inputKeys = Object.fromEntries(
    Object.entries(resolved.inputs).map(([name, input]) => [name, `${input.from}:${keyOf(input.from)}`])
  );
  const env = check.envFor(step.name, finished);
  // The steps it runs after: files they wrote in the run's copy are what it reads, whether or not values travel too.
  const after = Object.fromEntries(step.dependencies.map(dep => [dep, keyOf(dep)]));
  return { key: stepCacheKey(step, parameters, inputKeys, env, workspace, after), inputs: resolved.inputs, env };
}

/**
 * What a finished step's result is known by downstream: its cache key, and the files outside the frozen copy as it
 * left them (outside-files.ts). So a step that ran again because such a file changed gives its readers new keys,
 * and they do not take a result made from the old contents from the cache.
 */
export function resultKey(cacheKey: string, files: FileAccessReport | undefined): string {
  const outside = files?.outside ?? [];
  if (outside.length === 0) return cacheKey;
  const touched = outside.map(t => [t.path, t.how, t.last]).sort();
  return createHash('sha256')
    .update(JSON.stringify([cacheKey, touched]))
    .digest('hex');
}
