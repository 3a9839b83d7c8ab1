import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { PipelineIR } from './ir';
import { requestAPI } from './request';
import { describeFailure } from './server';
import { Cellflow, ICellflow } from './tokens';

/**
 * Holds the analysis of the active notebook. It re-analyzes, debounced, when
 * the notebook file changes: the backend reads the saved file, so analyzing
 * on every keystroke would report the old content; unsaved edits only mark
 * the analysis stale.
 */
export class PipelineModel extends VDomModel implements ICellflow {
  constructor(options: PipelineModel.IOptions = {}) {
    super();
    this._serverSettings = options.serverSettings;
    this._analyzeDelayMs = options.analyzeDelayMs ?? 500;
    this._autoAnalyze = options.autoAnalyze ?? true;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
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
    this._error = null;
    this._isStale = false;
    this._status = 'idle';
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

  /** Milliseconds to wait after a save before analyzing, so bursts analyze once. */
  get analyzeDelayMs(): number {
    return this._analyzeDelayMs;
  }
  set analyzeDelayMs(value: number) {
    this._analyzeDelayMs = Math.max(0, value);
  }

  /** Whether saving the notebook re-analyzes it. */
  get autoAnalyze(): boolean {
    return this._autoAnalyze;
  }
  set autoAnalyze(value: boolean) {
    this._autoAnalyze = value;
  }

  async analyze(): Promise<PipelineIR | null> {
    this._cancelScheduled();
    const panel = this._notebook;
    const path = this.notebookPath;
    if (!panel || !path) {
      return null;
    }
    // Only the latest request may store its answer; older ones finish unseen.
    const request = ++this._requestCount;
    this._status = 'analyzing';
    this.stateChanged.emit();

    const body: Cellflow.IAnalyzeRequest = { path };
    try {
      const ir = await requestAPI<PipelineIR>(
        'analyze',
        { method: 'POST', body: JSON.stringify(body) },
        this._serverSettings
      );
      if (!this._isCurrent(request, panel)) {
        return null;
      }
      this._ir = ir;
      this._error = null;
      this._isStale = panel.context.model.dirty;
      this._status = 'ready';
      this._irChanged.emit(ir);
      this.stateChanged.emit();
      return ir;
    } catch (error) {
      if (!this._isCurrent(request, panel)) {
        return null;
      }
      this._error = describeFailure(error, this._trans);
      this._status = 'error';
      this.stateChanged.emit();
      return null;
    }
  }

  /** Analyzes after `analyzeDelayMs`, restarting the wait on each call. */
  scheduleAnalyze(): void {
    this._cancelScheduled();
    this._timer = window.setTimeout(() => {
      this._timer = null;
      void this.analyze();
    }, this._analyzeDelayMs);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._unfollow();
    this._notebook = null;
    Signal.clearData(this);
    super.dispose();
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
    this._cancelScheduled();
    const panel = this._notebook;
    if (!panel) {
      return;
    }
    panel.context.fileChanged.disconnect(this._onFileChanged, this);
    panel.context.pathChanged.disconnect(this._onFileChanged, this);
    panel.context.model.contentChanged.disconnect(this._onContentChanged, this);
    panel.disposed.disconnect(this._onNotebookDisposed, this);
  }

  private _onFileChanged(): void {
    if (this._autoAnalyze) {
      this.scheduleAnalyze();
    }
  }

  private _onContentChanged(): void {
    const dirty = this._notebook?.context.model.dirty ?? false;
    if (this._ir && dirty !== this._isStale) {
      this._isStale = dirty;
      this.stateChanged.emit();
    }
  }

  private _onNotebookDisposed(): void {
    this.notebook = null;
  }

  private _isCurrent(request: number, panel: NotebookPanel): boolean {
    return !this.isDisposed && request === this._requestCount && panel === this._notebook;
  }

  private _cancelScheduled(): void {
    if (this._timer !== null) {
      window.clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _notebook: NotebookPanel | null = null;
  private _ir: PipelineIR | null = null;
  private _error: Cellflow.IError | null = null;
  private _status: Cellflow.AnalysisStatus = 'idle';
  private _isStale = false;
  private _backendRestartedAt: Date | null = null;
  private _analyzeDelayMs: number;
  private _autoAnalyze: boolean;
  private _requestCount = 0;
  private _timer: number | null = null;
  private _serverSettings: ServerConnection.ISettings | undefined;
  private _trans: TranslationBundle;
  private _irChanged = new Signal<this, PipelineIR | null>(this);
}

export namespace PipelineModel {
  export interface IOptions {
    /** Defaults to `ServerConnection.makeSettings()`. */
    serverSettings?: ServerConnection.ISettings;
    /** Default 500. */
    analyzeDelayMs?: number;
    /** Default true. */
    autoAnalyze?: boolean;
    translator?: ITranslator;
  }
}
