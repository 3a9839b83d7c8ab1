import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { Debouncer } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import { cellsForAnalysis, RequestSequence } from './analysis-request';
import type { IAnalyzeRequest } from './api/types';
import { PipelineIR } from './ir';
import { requestAPI } from './request';
import { describeFailure } from './server';
import { Cellflow, ICellflow } from './tokens';

/**
 * Holds the analysis of the active notebook. It analyzes the notebook's
 * unsaved cells (the saved file still gives the kernel and settings), after
 * each edit, debounced by `analysisDelay`; only the answer to the latest
 * request is kept.
 */
export class PipelineModel extends VDomModel implements ICellflow {
  constructor(options: PipelineModel.IOptions = {}) {
    super();
    this._serverSettings = options.serverSettings;
    this._autoAnalyze = options.autoAnalyze ?? true;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this._debouncer = this._makeDebouncer(options.analysisDelay ?? 300);
  }

  get notebook(): NotebookPanel | null {
    return this._notebook;
  }

  /** Follows a notebook; null when none is open. Analyzes it once it is loaded. */
  set notebook(panel: NotebookPanel | null) {
    if (panel === this._notebook) {
      return;
    }
    this._unfollow();
    this._notebook = panel;
    this._ir = null;
    this._analyzedCellIds = null;
    this._lastSent = null;
    this._error = null;
    this._isStale = false;
    this._status = 'idle';
    this._requests.invalidate();
    this._irChanged.emit(null);
    this.stateChanged.emit();
    if (panel) {
      this._follow(panel);
    }
  }

  get notebookPath(): string | null {
    // localPath drops a drive prefix (e.g. `RTC:`), leaving the path under the root.
    return this._notebook?.context.localPath ?? null;
  }

  get ir(): PipelineIR | null {
    return this._ir;
  }

  get analyzedCellIds(): readonly string[] | null {
    return this._analyzedCellIds;
  }

  get status(): Cellflow.AnalysisStatus {
    return this._status;
  }

  get error(): Cellflow.IError | null {
    return this._error;
  }

  get isStale(): boolean {
    return this._isStale;
  }

  get backendRestartedAt(): Date | null {
    return this._backendRestartedAt;
  }

  /** Called when a new backend process answers: what the old one held is gone. */
  noteBackendRestarted(): void {
    this._backendRestartedAt = new Date();
    this.stateChanged.emit();
  }

  get irChanged(): ISignal<this, PipelineIR | null> {
    return this._irChanged;
  }

  /** Milliseconds to wait after an edit before analyzing, so typing analyzes once per pause. */
  get analysisDelay(): number {
    return this._debouncer.limit;
  }
  set analysisDelay(value: number) {
    const delay = Math.max(0, value);
    if (delay !== this._debouncer.limit) {
      this._debouncer.dispose();
      this._debouncer = this._makeDebouncer(delay);
    }
  }

  /** Whether edits and saves re-analyze the notebook. */
  get autoAnalyze(): boolean {
    return this._autoAnalyze;
  }
  set autoAnalyze(value: boolean) {
    this._autoAnalyze = value;
  }

  async analyze(): Promise<PipelineIR | null> {
    this._debouncer.stop();
    const panel = this._notebook;
    const path = this.notebookPath;
    if (!panel || !path) {
      return null;
    }
    const { cells, ids } = cellsForAnalysis(panel.context.model.cells);
    const body: IAnalyzeRequest = { path, cells };
    const payload = JSON.stringify(body);
    const request = this._requests.next();
    this._lastSent = payload;
    this._editedSinceRequest = false;
    this._status = 'analyzing';
    this.stateChanged.emit();

    try {
      const ir = await requestAPI<PipelineIR>('analyze', { method: 'POST', body: payload }, this._serverSettings);
      if (!this._isCurrent(request, panel)) {
        return null;
      }
      this._ir = ir;
      this._analyzedCellIds = ids;
      this._error = null;
      this._isStale = this._editedSinceRequest;
      this._status = 'ready';
      this._irChanged.emit(ir);
      this.stateChanged.emit();
      return ir;
    } catch (error) {
      if (!this._isCurrent(request, panel)) {
        return null;
      }
      // Asking again with the same cells is worth it after a failure (the backend may be back).
      this._lastSent = null;
      this._error = describeFailure(error, this._trans);
      this._status = 'error';
      this.stateChanged.emit();
      return null;
    }
  }

  /** Analyzes after `analysisDelay`, restarting the wait on each call. */
  scheduleAnalyze(): void {
    this._debouncer.invoke().catch(() => undefined);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._unfollow();
    this._notebook = null;
    this._debouncer.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  private _makeDebouncer(delay: number): Debouncer<void> {
    return new Debouncer(() => this._analyzeIfChanged(), delay);
  }

  /** Edits that leave the cells as they were last sent (outputs, a run) need no new analysis. */
  private async _analyzeIfChanged(): Promise<void> {
    const panel = this._notebook;
    const path = this.notebookPath;
    if (!panel || !path) {
      return;
    }
    const body: IAnalyzeRequest = { path, cells: cellsForAnalysis(panel.context.model.cells).cells };
    if (JSON.stringify(body) === this._lastSent && this._status !== 'error') {
      return;
    }
    await this.analyze();
  }

  private _follow(panel: NotebookPanel): void {
    const context = panel.context;
    context.fileChanged.connect(this._onFileChanged, this);
    context.pathChanged.connect(this._onFileChanged, this);
    context.model.contentChanged.connect(this._onContentChanged, this);
    panel.disposed.connect(this._onNotebookDisposed, this);
    void context.ready.then(() => {
      if (this._notebook === panel && this._autoAnalyze) {
        void this.analyze();
      }
    });
  }

  private _unfollow(): void {
    this._debouncer.stop();
    const panel = this._notebook;
    if (!panel) {
      return;
    }
    panel.context.fileChanged.disconnect(this._onFileChanged, this);
    panel.context.pathChanged.disconnect(this._onFileChanged, this);
    panel.context.model.contentChanged.disconnect(this._onContentChanged, this);
    panel.disposed.disconnect(this._onNotebookDisposed, this);
  }

  /** A save or rename: the file's metadata (kernel, settings) may differ, so analyze even with the same cells. */
  private _onFileChanged(): void {
    this._lastSent = null;
    if (this._autoAnalyze) {
      this.scheduleAnalyze();
    }
  }

  private _onContentChanged(): void {
    this._editedSinceRequest = true;
    if (this._ir && !this._isStale) {
      this._isStale = true;
      this.stateChanged.emit();
    }
    if (this._autoAnalyze) {
      this.scheduleAnalyze();
    }
  }

  private _onNotebookDisposed(): void {
    this.notebook = null;
  }

  private _isCurrent(request: number, panel: NotebookPanel): boolean {
    return !this.isDisposed && this._requests.isLatest(request) && panel === this._notebook;
  }

  private _notebook: NotebookPanel | null = null;
  private _ir: PipelineIR | null = null;
  private _analyzedCellIds: readonly string[] | null = null;
  private _error: Cellflow.IError | null = null;
  private _status: Cellflow.AnalysisStatus = 'idle';
  private _isStale = false;
  private _editedSinceRequest = false;
  private _lastSent: string | null = null;
  private _backendRestartedAt: Date | null = null;
  private _autoAnalyze: boolean;
  private _debouncer: Debouncer<void>;
  private _requests = new RequestSequence();
  private _serverSettings: ServerConnection.ISettings | undefined;
  private _trans: TranslationBundle;
  private _irChanged = new Signal<this, PipelineIR | null>(this);
}

export namespace PipelineModel {
  export interface IOptions {
    /** Defaults to `ServerConnection.makeSettings()`. */
    serverSettings?: ServerConnection.ISettings;
    /** Milliseconds after an edit before analyzing; default 300. */
    analysisDelay?: number;
    /** Default true. */
    autoAnalyze?: boolean;
    translator?: ITranslator;
  }
}
