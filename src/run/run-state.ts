/**
 * What a run view shows, kept current from the run's events (pure). The record follows the server's own
 * `applyRunEvent` (server-ts/src/engine/run-view.ts), copied here because the backend package exports only its IR
 * types to the browser; src/__tests__/run-state.spec.ts holds the two to the same cases. Logs and per-step metrics
 * are what the record does not keep: they come from the events alone.
 */
import type { RunEvent, RunRecord, RunView, SequencedRunEvent } from '../api/types';

/** Lines kept per step while streaming; the whole log is fetched from `logs/:step` when a step is opened. */
export const MAX_STREAMED_LINES = 10000;

export type LogLine = { stream: 'stdout' | 'stderr'; line: string };

export type StepStream = {
  lines: LogLine[];
  /** Lines dropped from the front to stay under MAX_STREAMED_LINES. */
  dropped: number;
  metrics: Record<string, number>;
};

export type RunState = {
  record: RunView;
  /** The last event applied: a reconnecting stream resumes after it, and replays at or before it are ignored. */
  lastSeq: number;
  streams: Record<string, StepStream>;
  /** True once `run-finished` arrived or the record read back was no longer running. */
  finished: boolean;
};

/** The server's `applyRunEvent`, step for step. */
export function applyRunEvent(record: RunRecord, event: RunEvent): RunRecord {
  switch (event.type) {
    case 'step-started': {
      const step = record.steps[event.step];
      if (!step) {
        return record;
      }
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

/** The state of a run just read back, before any event. */
export function initialRunState(record: RunView): RunState {
  return { record, lastSeq: 0, streams: {}, finished: record.status !== 'running' || record.interrupted === true };
}

/** Applies one event of the run's log; one already applied (a replay after a reconnect) changes nothing. */
export function reduceRunState(state: RunState, sequenced: SequencedRunEvent): RunState {
  if (sequenced.seq <= state.lastSeq || sequenced.runId !== state.record.id) {
    return state;
  }
  const { event } = sequenced;
  const record: RunView = applyRunEvent(state.record, event);
  let streams = state.streams;
  if (event.type === 'step-log' || event.type === 'step-metric') {
    const stream = streams[event.step] ?? { lines: [], dropped: 0, metrics: {} };
    streams = { ...streams, [event.step]: appendToStream(stream, event) };
  }
  return {
    record,
    lastSeq: sequenced.seq,
    streams,
    finished: state.finished || event.type === 'run-finished'
  };
}

function appendToStream(
  stream: StepStream,
  event: Extract<RunEvent, { type: 'step-log' | 'step-metric' }>
): StepStream {
  if (event.type === 'step-metric') {
    return { ...stream, metrics: { ...stream.metrics, [event.name]: event.value } };
  }
  const lines = [...stream.lines, { stream: event.stream, line: event.line }];
  const excess = lines.length - MAX_STREAMED_LINES;
  return excess > 0
    ? { ...stream, lines: lines.slice(excess), dropped: stream.dropped + excess }
    : { ...stream, lines };
}
