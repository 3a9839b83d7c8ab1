/**
 * Katib's median stopping rule (`medianstop`, from Google Vizier): a running trial is stopped at step s (its
 * s-th report of the objective) when its best value up to s is strictly worse than the median of the succeeded
 * trials' running averages up to s. Checked only from `start_step` on and once `min_trials_required` trials
 * succeeded with reports. Pure: the loop feeds it the values it saw in each run's metric events.
 *
 * Katib's guide states this rule; its v0.19 service takes the mean of the averages over the first `start_step`
 * reports instead. The documented rule is followed here (a median is what the name promises, and it is robust
 * to one diverged trial).
 */
import type { EarlyStopping, ObjectiveType } from './types.js';

export interface MedianStopVerdict {
  /** The running trial's report count when it was judged. */
  step: number;
  /** Its best value up to `step`. */
  best: number;
  /** The median of the succeeded trials' running averages up to `step`. */
  median: number;
  stop: boolean;
}

/**
 * The verdict for a running trial after its latest report, or null when the rule does not apply yet (before
 * `start_step`, or with fewer than `min_trials_required` succeeded trials that reported).
 * @param succeeded each succeeded trial's reports of the objective, in order
 * @param current the running trial's reports so far
 */
export function medianStop(
  settings: Pick<EarlyStopping, 'minTrialsRequired' | 'startStep'>,
  type: ObjectiveType,
  succeeded: readonly (readonly number[])[],
  current: readonly number[]
): MedianStopVerdict | null {
  const step = current.length;
  if (step === 0 || step < settings.startStep) return null;
  const reported = succeeded.filter(values => values.length > 0);
  if (reported.length === 0 || reported.length < settings.minTrialsRequired) return null;
  // A trial that finished in fewer reports than `step` counts with all it reported.
  const averages = reported.map(values => mean(values.slice(0, step)));
  const median = medianOf(averages);
  const best = type === 'minimize' ? Math.min(...current) : Math.max(...current);
  const stop = type === 'minimize' ? best > median : best < median;
  return { step, best, median, stop };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
