/**
 * The run view's DAG edges. A run record names each step's dependencies as the run was planned (`StepRecord.after`),
 * so a past run is drawn as it ran even when its notebook changed since. Records written before `after` existed fall
 * back to the notebook's analysis now, and where that does not know a step, to where its values came from.
 */
import type { RunRecord } from '../api/types';

/** True when every step of the record carries its own edges: no analysis is needed to draw it. */
export function recordHasEdges(record: Pick<RunRecord, 'stepOrder' | 'steps'>): boolean {
  return record.stepOrder.every(name => Array.isArray(record.steps[name]?.after));
}

/** Each step's dependencies: the record's, else the analysis's (`analyzed`), else the steps its inputs came from. */
export function runEdges(
  record: Pick<RunRecord, 'stepOrder' | 'steps'>,
  analyzed: Readonly<Record<string, readonly string[]>>
): Record<string, readonly string[]> {
  return Object.fromEntries(
    record.stepOrder.map(name => {
      const step = record.steps[name];
      const edges = step?.after ?? analyzed[name] ?? [...new Set(Object.values(step?.inputsFrom ?? {}))];
      return [name, edges];
    })
  );
}
