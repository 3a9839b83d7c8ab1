/** A run's record kept current from its events (pure): what a follower shows between reads of the record. */
import type { RunEvent, RunRecord, RunView } from './types.js';

export function applyRunEvent(record: RunRecord, event: RunEvent): RunRecord {
  switch (event.type) {
    case 'step-started': {
      const step = record.steps[event.step];
      if (!step) return record;
      const started = { ...step, status: 'running' as const, attempts: event.attempt };
      return { ...record, steps: { ...record.steps, [event.step]: started } };
    }
    case 'step-finished':
      return { ...record, steps: { ...record.steps, [event.step]: event.record } };
    case 'step-metric':
      return { ...record, metrics: { ...record.metrics, [event.name]: event.value } };
    case 'run-finished':
      return event.record;
    default:
      return record;
  }
}

/** The record itself, without what reading it added (`interrupted`, `dir`). */
export function recordOf(view: RunView): RunRecord {
  const record: RunView = { ...view };
  delete record.interrupted;
  delete record.dir;
  return record;
}
