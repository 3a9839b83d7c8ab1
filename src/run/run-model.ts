/**
 * One run as its view follows it: the record read back, then every event of the run's log over Server-Sent Events
 * (from the first, so a past run shows its logs too), folded in by the pure reducer of run-state.ts.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import type { RunEvent, RunView, SequencedRunEvent, StepLogs } from '../api/types';
import { describeFailure } from '../server';
import { Cellflow } from '../tokens';
import { RunApi } from './run-api';
import { initialRunState, reduceRunState, RunState } from './run-state';

/** The named events of the stream (`event: <type>`); EventSource delivers each only to its own listener. */
const EVENT_TYPES: RunEvent['type'][] = ['step-started', 'step-log', 'step-metric', 'step-finished', 'run-finished'];

/** `EventSource.CLOSED`, without needing the global (absent in tests). */
const EVENT_SOURCE_CLOSED = 2;

/** Builds the EventSource; tests pass a fake. */
export type EventSourceFactory = (url: string) => EventSource;

export class RunModel extends VDomModel {
  constructor(options: RunModel.IOptions) {
    super();
    this.runId = options.runId;
    this._api = options.api;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this._eventSourceFactory = options.eventSourceFactory ?? (url => new EventSource(url));
    this._dependencies = options.dependencies ?? {};
    this._stepColors = options.stepColors ?? new Map();
    this._notebookPath = options.notebookPath;
  }

  /** The run's notebook, once known: sent with each request so a restarted backend finds the run. */
  get notebookPath(): string | undefined {
    return this.record?.notebookPath ?? this._notebookPath;
  }

  readonly runId: string;

  get state(): RunState | null {
    return this._state;
  }

  get record(): RunView | null {
    return this._state?.record ?? null;
  }

  /** Why reading or following the run failed; null when it did not. */
  get error(): Cellflow.IError | null {
    return this._error;
  }

  /** True while the stream is open (the run is live or its log is being replayed). */
  get following(): boolean {
    return this._source !== null;
  }

  /** Each step's dependencies (from the notebook's analysis): the DAG's edges. */
  get dependencies(): Readonly<Record<string, readonly string[]>> {
    return this._dependencies;
  }

  /** Each step's colour, as on its cells and in the sidebar. */
  get stepColors(): ReadonlyMap<string, string> {
    return this._stepColors;
  }

  /** What the notebook's analysis says of the steps: their edges and colours. */
  setPipeline(dependencies: Record<string, readonly string[]>, stepColors: ReadonlyMap<string, string>): void {
    this._dependencies = dependencies;
    this._stepColors = stepColors;
    this.stateChanged.emit();
  }

  get selectedStep(): string | null {
    return this._selectedStep;
  }

  /** The whole logs of a finished step, once fetched (`logs/:step`). */
  wholeLogs(step: string): StepLogs | null {
    return this._wholeLogs.get(step) ?? null;
  }

  /** Emitted once when the run has finished (succeeded, failed or cancelled). */
  get finished(): ISignal<this, RunView> {
    return this._finished;
  }

  get api(): RunApi {
    return this._api;
  }

  /** Reads the record, then follows the run's events. */
  async start(): Promise<void> {
    try {
      const record = await this._api.get(this.runId, this.notebookPath);
      if (this.isDisposed) {
        return;
      }
      this._state = initialRunState(record);
      this._error = null;
      this.stateChanged.emit();
      this._follow();
    } catch (error) {
      this._fail(error);
    }
  }

  /** Applies one event; the stream's listeners call this, tests may too. */
  applyEvent(sequenced: SequencedRunEvent): void {
    if (!this._state) {
      return;
    }
    const wasFinished = this._state.finished;
    const next = reduceRunState(this._state, sequenced);
    if (next === this._state) {
      return;
    }
    this._state = next;
    if (sequenced.event.type === 'step-finished' && sequenced.event.step === this._selectedStep) {
      void this._fetchWholeLogs(sequenced.event.step);
    }
    if (sequenced.event.type === 'run-finished') {
      // The server ends the stream after run-finished; EventSource would reconnect for ever.
      this._unfollow();
    }
    this.stateChanged.emit();
    if (!wasFinished && next.finished) {
      this._finished.emit(next.record);
    }
  }

  selectStep(step: string | null): void {
    this._selectedStep = step;
    this.stateChanged.emit();
    const status = step ? this.record?.steps[step]?.status : undefined;
    if (step && status !== undefined && status !== 'running' && status !== 'pending') {
      void this._fetchWholeLogs(step);
    }
  }

  async cancel(): Promise<void> {
    try {
      await this._api.cancel(this.runId, this.notebookPath);
    } catch (error) {
      this._fail(error);
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._unfollow();
    Signal.clearData(this);
    super.dispose();
  }

  private _follow(): void {
    // A finished run's log is replayed too, once, for its logs and per-step metrics.
    if (!this._state) {
      return;
    }
    const url = this._api.eventsUrl(this.runId, this.notebookPath);
    const source = this._eventSourceFactory(url);
    const onEvent = (message: Event) => {
      try {
        this.applyEvent(JSON.parse((message as MessageEvent<string>).data) as SequencedRunEvent);
      } catch (error) {
        console.error('cellflow: a run event could not be read.', error);
      }
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, onEvent);
    }
    source.onerror = () => {
      // CONNECTING: EventSource reconnects by itself, sending Last-Event-ID. CLOSED: it gave up (an HTTP error).
      if (source.readyState === EVENT_SOURCE_CLOSED && this._source === source) {
        this._unfollow();
        void this._refresh();
      }
    };
    this._source = source;
  }

  private _unfollow(): void {
    this._source?.close();
    this._source = null;
  }

  /** After the stream gave up: the record as it stands, and why, when it cannot be read. */
  private async _refresh(): Promise<void> {
    try {
      const record = await this._api.get(this.runId, this.notebookPath);
      if (this._state && !this.isDisposed) {
        this._state = { ...this._state, record, finished: this._state.finished || record.status !== 'running' };
        this._error = {
          code: 'run-events-unavailable',
          message: this._trans.__('The run’s live events stopped arriving.'),
          hint: this._trans.__('Reopen the run to see its latest state.')
        };
        this.stateChanged.emit();
      }
    } catch (error) {
      this._fail(error);
    }
  }

  private async _fetchWholeLogs(step: string): Promise<void> {
    try {
      const logs = await this._api.logs(this.runId, step, this.notebookPath);
      if (!this.isDisposed) {
        this._wholeLogs.set(step, logs);
        this.stateChanged.emit();
      }
    } catch (error) {
      // The streamed lines stay on show; the failure is said once.
      this._fail(error);
    }
  }

  private _fail(error: unknown): void {
    if (this.isDisposed) {
      return;
    }
    this._error = describeFailure(error, this._trans);
    this.stateChanged.emit();
  }

  private _api: RunApi;
  private _trans: TranslationBundle;
  private _eventSourceFactory: EventSourceFactory;
  private _state: RunState | null = null;
  private _error: Cellflow.IError | null = null;
  private _source: EventSource | null = null;
  private _selectedStep: string | null = null;
  private _wholeLogs = new Map<string, StepLogs>();
  private _dependencies: Readonly<Record<string, readonly string[]>>;
  private _stepColors: ReadonlyMap<string, string>;
  private _notebookPath: string | undefined;
  private _finished = new Signal<this, RunView>(this);
}

export namespace RunModel {
  export interface IOptions {
    runId: string;
    api: RunApi;
    translator?: ITranslator;
    eventSourceFactory?: EventSourceFactory;
    dependencies?: Record<string, readonly string[]>;
    stepColors?: ReadonlyMap<string, string>;
    /** The run's notebook when the opener knows it (the history does). */
    notebookPath?: string;
  }
}
