import { applyRunEvent as serverApplyRunEvent } from '../../server-ts/src/engine/run-view';
import type { RunEvent, RunRecord } from '../api/types';
import { applyRunEvent, initialRunState, MAX_STREAMED_LINES, reduceRunState } from '../run/run-state';
import { pendingRun, sequenced } from './fixtures';

const succeeded = { status: 'succeeded' as const, cached: true, attempts: 1, seconds: 1.5 };

/** An event of every kind the frontend knows; the type makes a kind of the generated types without one an error. */
function oneOfEachKind(record: RunRecord): { [K in RunEvent['type']]: Extract<RunEvent, { type: K }> } {
  return {
    'step-started': { type: 'step-started', step: 'generate', attempt: 1 },
    'step-log': { type: 'step-log', step: 'generate', stream: 'stdout', line: 'train: 10000,2' },
    'step-metric': { type: 'step-metric', step: 'generate', name: 'points', value: 10000 },
    'step-finished': { type: 'step-finished', step: 'generate', record: succeeded },
    'run-finished': { type: 'run-finished', record: { ...record, status: 'succeeded', seconds: 3 } }
  };
}

/** One of each event kind, in an order a run produces them. */
function sampleEvents(record: RunRecord): RunEvent[] {
  const kinds = oneOfEachKind(record);
  return [
    kinds['step-started'],
    kinds['step-log'],
    kinds['step-metric'],
    { type: 'step-started', step: 'no_such_step', attempt: 1 },
    kinds['step-finished'],
    kinds['run-finished']
  ];
}

/**
 * The event kinds the server sends, from the committed OpenAPI document: server-ts/test/http/openapi.test.ts holds
 * it to the TypeBox schemas (`RunEventSchema`), which are ESM the browser's jest cannot load.
 */
function serverEventKinds(): string[] {
  const fs = jest.requireActual<typeof import('fs')>('fs');
  const path = jest.requireActual<typeof import('path')>('path');
  const openapi = JSON.parse(fs.readFileSync(path.join(__dirname, '../../server-ts/openapi.json'), 'utf8'));
  const variants: { properties: { type: { enum: string[] } } }[] =
    openapi.components.schemas.SequencedRunEvent.properties.event.anyOf;
  return variants.flatMap(variant => variant.properties.type.enum);
}

describe('applyRunEvent', () => {
  it('knows every event kind the server sends', () => {
    // A kind added on the server fails here until the frontend has a sample of it, and so a parity check below.
    expect(Object.keys(oneOfEachKind(pendingRun())).sort()).toEqual(serverEventKinds().sort());
  });

  it('gives what the server’s applyRunEvent gives for each kind alone', () => {
    const start = pendingRun();
    for (const event of Object.values(oneOfEachKind(start))) {
      expect(applyRunEvent(start, event)).toEqual(serverApplyRunEvent(start as never, event as never));
    }
  });

  it('gives what the server’s applyRunEvent gives, event after event', () => {
    const start = pendingRun();
    let ours: RunRecord = start;
    let theirs: RunRecord = start;
    for (const event of sampleEvents(start)) {
      ours = applyRunEvent(ours, event);
      theirs = serverApplyRunEvent(theirs as never, event as never) as unknown as RunRecord;
      expect(ours).toEqual(theirs);
    }
    expect(ours.status).toBe('succeeded');
  });

  it('marks a started step running with its attempt and keeps the rest', () => {
    const record = applyRunEvent(pendingRun(), { type: 'step-started', step: 'train_linear', attempt: 2 });
    expect(record.steps.train_linear).toEqual({ status: 'running', cached: false, attempts: 2 });
    expect(record.steps.generate.status).toBe('pending');
  });

  it('ignores a start of a step the record does not have', () => {
    const run = pendingRun();
    expect(applyRunEvent(run, { type: 'step-started', step: 'other', attempt: 1 })).toBe(run);
  });
});

describe('reduceRunState', () => {
  it('applies each event once: a replay after a reconnect changes nothing', () => {
    const run = pendingRun();
    let state = initialRunState(run);
    state = reduceRunState(state, sequenced(run.id, 1, { type: 'step-started', step: 'generate', attempt: 1 }));
    state = reduceRunState(
      state,
      sequenced(run.id, 2, { type: 'step-log', step: 'generate', stream: 'stdout', line: 'a' })
    );
    const replayed = reduceRunState(
      state,
      sequenced(run.id, 2, { type: 'step-log', step: 'generate', stream: 'stdout', line: 'a' })
    );
    expect(replayed).toBe(state);
    expect(state.lastSeq).toBe(2);
    expect(state.streams.generate.lines).toEqual([{ stream: 'stdout', line: 'a' }]);
    expect(state.record.steps.generate.status).toBe('running');
  });

  it('keeps per-step metrics and the run’s metrics', () => {
    const run = pendingRun();
    const state = reduceRunState(
      initialRunState(run),
      sequenced(run.id, 1, { type: 'step-metric', step: 'evaluate', name: 'hidden_test_acc', value: 0.97 })
    );
    expect(state.streams.evaluate.metrics).toEqual({ hidden_test_acc: 0.97 });
    expect(state.record.metrics).toEqual({ hidden_test_acc: 0.97 });
  });

  it('ignores another run’s events', () => {
    const state = initialRunState(pendingRun('A'));
    expect(reduceRunState(state, sequenced('B', 1, { type: 'step-started', step: 'generate', attempt: 1 }))).toBe(
      state
    );
  });

  it('is finished after run-finished, with the record it carries', () => {
    const run = pendingRun();
    const final: RunRecord = { ...run, status: 'cancelled' };
    const state = reduceRunState(initialRunState(run), sequenced(run.id, 1, { type: 'run-finished', record: final }));
    expect(state.finished).toBe(true);
    expect(state.record.status).toBe('cancelled');
  });

  it('starts finished for a record read back after its run ended or was interrupted', () => {
    expect(initialRunState({ ...pendingRun(), status: 'failed' }).finished).toBe(true);
    expect(initialRunState({ ...pendingRun(), interrupted: true }).finished).toBe(true);
    expect(initialRunState(pendingRun()).finished).toBe(false);
  });

  it('keeps the last lines of a long log and counts the ones it dropped', () => {
    const run = pendingRun();
    let state = initialRunState(run);
    const total = MAX_STREAMED_LINES + 5;
    for (let seq = 1; seq <= total; seq++) {
      state = reduceRunState(
        state,
        sequenced(run.id, seq, { type: 'step-log', step: 'generate', stream: 'stdout', line: `line ${seq}` })
      );
    }
    expect(state.streams.generate.lines).toHaveLength(MAX_STREAMED_LINES);
    expect(state.streams.generate.dropped).toBe(5);
    expect(state.streams.generate.lines[0].line).toBe('line 6');
    expect(state.streams.generate.lines[MAX_STREAMED_LINES - 1].line).toBe(`line ${total}`);
  });
});
