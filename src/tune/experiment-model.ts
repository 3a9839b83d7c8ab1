/**
 * One experiment as its trials view follows it: the record read back, then read again every second
 * (`@lumino/polling`'s Poll) while the experiment runs; polling stops once it has ended. A record is stored only
 * when it changed, so the view and its charts redraw only then.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { describeFailure } from '../server';
import { Cellflow } from '../tokens';
import type { ExperimentApi } from './experiment-api';
import type { ExperimentView, TrialRecord } from './experiment-types';

export class ExperimentModel extends VDomModel {
  constructor(options: ExperimentModel.IOptions) {
    super();
    this.experimentId = options.experimentId;
    this.notebookPath = options.notebookPath;
    this._api = options.api;
    this._interval = options.interval ?? 1000;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
  }

  readonly experimentId: string;
  /** The experiment's notebook, sent with each request. */
  readonly notebookPath: string;

  get record(): ExperimentView | null {
    return this._record;
  }

  /** Why reading the experiment failed the last time; null when the last read worked. */
  get error(): Cellflow.IError | null {
    return this._error;
  }

  get running(): boolean {
    return this._record?.status === 'running';
  }

  /** Whether it can be resumed: cancelled, or left running by a tuner that stopped. */
  get resumable(): boolean {
    const record = this._record;
    return record !== null && (record.status === 'cancelled' || (record.status === 'running' && !record.running));
  }

  /** The best succeeded trial, as the record names it. */
  get bestTrial(): TrialRecord | null {
    const record = this._record;
    return record?.bestTrial === null || record?.bestTrial === undefined
      ? null
      : (record.trials.find(t => t.number === record.bestTrial) ?? null);
  }

  /** Emitted once when a followed experiment is seen ended (or when a past one is first read). */
  get finished(): ISignal<this, ExperimentView> {
    return this._finished;
  }

  /** Reads the record, and follows it while it runs. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.running && !this.isDisposed) {
      this._follow();
    }
  }

  /** Reads the record once now. */
  async refresh(): Promise<void> {
    let record: ExperimentView;
    try {
      record = await this._api.get(this.experimentId, this.notebookPath);
    } catch (error) {
      if (!this.isDisposed) {
        this._error = describeFailure(error, this._trans);
        this.stateChanged.emit();
      }
      return;
    }
    if (this.isDisposed) {
      return;
    }
    const text = JSON.stringify(record);
    const hadError = this._error !== null;
    this._error = null;
    if (text !== this._lastText) {
      const wasRunning = this._lastText === null || this.running;
      this._lastText = text;
      this._record = record;
      this.stateChanged.emit();
      if (wasRunning && record.status !== 'running') {
        this._finished.emit(record);
      }
    } else if (hadError) {
      this.stateChanged.emit();
    }
    if (record.status !== 'running') {
      this._stopFollowing();
    }
  }

  /** Asks the backend to stop the experiment; the next read shows it cancelled. */
  async cancel(): Promise<void> {
    try {
      await this._api.cancel(this.experimentId, this.notebookPath);
    } catch (error) {
      this._error = describeFailure(error, this._trans);
      this.stateChanged.emit();
      return;
    }
    await this.refresh();
  }

  /** Goes on with a stopped experiment (finished trials kept, interrupted ones run again), and follows it. */
  async resume(): Promise<void> {
    try {
      await this._api.resume(this.experimentId, this.notebookPath);
    } catch (error) {
      this._error = describeFailure(error, this._trans);
      this.stateChanged.emit();
      return;
    }
    await this.start();
  }

  /** True while the record is read again every interval. */
  get following(): boolean {
    return this._poll !== null;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopFollowing();
    super.dispose();
  }

  private _follow(): void {
    if (this._poll) {
      return;
    }
    this._poll = new Poll({
      factory: () => this.refresh(),
      frequency: { interval: this._interval, backoff: false },
      name: `cellflow:experiment:${this.experimentId}`,
      standby: 'when-hidden'
    });
  }

  private _stopFollowing(): void {
    const poll = this._poll;
    this._poll = null;
    // Disposing the poll from inside its own tick is fine: the tick's promise settles, no further tick is scheduled.
    poll?.dispose();
  }

  private _api: ExperimentApi;
  private _interval: number;
  private _trans: TranslationBundle;
  private _record: ExperimentView | null = null;
  private _lastText: string | null = null;
  private _error: Cellflow.IError | null = null;
  private _poll: Poll | null = null;
  private _finished = new Signal<this, ExperimentView>(this);
}

export namespace ExperimentModel {
  export interface IOptions {
    experimentId: string;
    notebookPath: string;
    api: ExperimentApi;
    /** How often a running experiment is read again, in ms (1000). */
    interval?: number;
    translator?: ITranslator;
  }
}
