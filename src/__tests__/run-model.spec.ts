import type { RunView, SequencedRunEvent } from '../api/types';
import { RunApi } from '../run/run-api';
import { RunModel } from '../run/run-model';
import { pendingRun, sequenced } from './fixtures';

/** An EventSource the test drives: it delivers named events as the server's stream does. */
class FakeEventSource {
  static opened: FakeEventSource[] = [];
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  readyState = 1;
  closed = false;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((message: MessageEvent) => void)[]>();
  addEventListener(type: string, listener: (message: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  emit(event: SequencedRunEvent): void {
    for (const listener of this.listeners.get(event.event.type) ?? []) {
      listener({ data: JSON.stringify(event) } as MessageEvent);
    }
  }
  fail(): void {
    this.readyState = 2;
    this.onerror?.();
  }
}

function fakeApi(record: RunView) {
  const calls: string[] = [];
  const api = {
    get: jest.fn(async (runId: string, path?: string) => {
      calls.push(`get ${runId} ${path}`);
      return record;
    }),
    logs: jest.fn(async () => ({ stdout: 'whole stdout\n', stderr: '' })),
    cancel: jest.fn(async () => ({ cancelled: true })),
    eventsUrl: (runId: string, path?: string) => `/events/${runId}?path=${path}`
  };
  return { api: api as unknown as RunApi, calls, mock: api };
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0));

describe('RunModel', () => {
  beforeEach(() => {
    FakeEventSource.opened = [];
  });

  const open = async (record = pendingRun()) => {
    const { api, mock } = fakeApi(record);
    const model = new RunModel({
      runId: record.id,
      api,
      notebookPath: 'xor.ipynb',
      eventSourceFactory: url => new FakeEventSource(url) as unknown as EventSource
    });
    await model.start();
    return { model, mock, source: FakeEventSource.opened[0] };
  };

  it('reads the record, then follows the run’s events from the start, naming its notebook', async () => {
    const { model, mock, source } = await open();
    expect(mock.get).toHaveBeenCalledWith('01JRUN', 'xor.ipynb');
    expect(source.url).toBe('/events/01JRUN?path=xor.ipynb');
    expect(model.following).toBe(true);

    source.emit(sequenced('01JRUN', 1, { type: 'step-started', step: 'generate', attempt: 1 }));
    source.emit(sequenced('01JRUN', 2, { type: 'step-log', step: 'generate', stream: 'stdout', line: 'hello' }));
    expect(model.record?.steps.generate.status).toBe('running');
    expect(model.state?.streams.generate.lines).toEqual([{ stream: 'stdout', line: 'hello' }]);
  });

  it('stops following and says so once the run has finished', async () => {
    const { model, source } = await open();
    const finished: RunView[] = [];
    model.finished.connect((_, record) => finished.push(record));
    const final = { ...pendingRun(), status: 'succeeded' as const, metrics: { hidden_test_acc: 0.98 } };
    source.emit(sequenced('01JRUN', 1, { type: 'run-finished', record: final }));
    expect(source.closed).toBe(true);
    expect(model.following).toBe(false);
    expect(finished.map(record => record.status)).toEqual(['succeeded']);
    expect(model.record?.metrics).toEqual({ hidden_test_acc: 0.98 });
  });

  it('fetches the whole log of a finished step when it is selected', async () => {
    const { model, mock, source } = await open();
    source.emit(
      sequenced('01JRUN', 1, {
        type: 'step-finished',
        step: 'generate',
        record: { status: 'succeeded', cached: false, attempts: 1, seconds: 0.4 }
      })
    );
    model.selectStep('generate');
    await flush();
    expect(mock.logs).toHaveBeenCalledWith('01JRUN', 'generate', 'xor.ipynb');
    expect(model.wholeLogs('generate')).toEqual({ stdout: 'whole stdout\n', stderr: '' });
  });

  it('streams, rather than fetches, the log of a running step', async () => {
    const { model, mock, source } = await open();
    source.emit(sequenced('01JRUN', 1, { type: 'step-started', step: 'generate', attempt: 1 }));
    model.selectStep('generate');
    await flush();
    expect(mock.logs).not.toHaveBeenCalled();
  });

  it('reads the record again and says the events stopped when the stream gives up', async () => {
    const { model, mock, source } = await open();
    source.fail();
    await flush();
    expect(mock.get).toHaveBeenCalledTimes(2);
    expect(model.following).toBe(false);
    expect(model.error?.code).toBe('run-events-unavailable');
  });

  it('cancels through the API with the run’s notebook', async () => {
    const { model, mock } = await open();
    await model.cancel();
    expect(mock.cancel).toHaveBeenCalledWith('01JRUN', 'xor.ipynb');
  });
});
