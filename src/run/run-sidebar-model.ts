/**
 * What the run sidebar shows for the active notebook: its pipeline settings (in its metadata), the parameter
 * values typed for the next run, and its past runs. Changes to any of them emit `stateChanged`.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { LatestRequest } from '../latest-request';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import type { RunView } from '../api/types';
import type { Parameter } from '../ir';
import { describeFailure } from '../server';
import { Cellflow, ICellflow } from '../tokens';
import { RunLauncher, RunOptions } from './launcher';
import { EngineKind, NotebookRunSettings, readRunSettings, writeRunSettings } from './notebook-settings';
import { parameterOverrides } from './parameter-values';
import { RunApi } from './run-api';

/** Part of the pipeline to run: one step, or a step and every step after it. */
export type RunSubset = Pick<RunOptions, 'only' | 'from'>;

export class RunSidebarModel extends VDomModel {
  constructor(options: RunSidebarModel.IOptions) {
    super();
    this.cellflow = options.cellflow;
    this.launcher = options.launcher;
    this._api = options.api;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.cellflow.stateChanged.connect(this._onCellflowChanged, this);
    this.launcher.stateChanged.connect(this._emit, this);
    this.launcher.runStarted.connect(this._onRunStarted, this);
    this._onCellflowChanged();
  }

  readonly cellflow: ICellflow;
  readonly launcher: RunLauncher;

  /** The user's defaults (settings of cellflow:plugin), used where the notebook sets none. */
  defaultEngine: EngineKind = 'local';
  defaultConcurrency = 4;

  get settings(): NotebookRunSettings | null {
    const model = this.cellflow.notebook?.context.model;
    return model ? readRunSettings(model.getMetadata('kubeflow_notebook'), model.getMetadata('cellflow')) : null;
  }

  /** Writes settings into `metadata.cellflow` (the notebook becomes dirty; Compile saves it). */
  updateSettings(change: Partial<NotebookRunSettings>): void {
    const model = this.cellflow.notebook?.context.model;
    if (!model) {
      return;
    }
    model.setMetadata(
      'cellflow',
      writeRunSettings(model.getMetadata('kubeflow_notebook'), model.getMetadata('cellflow'), change)
    );
  }

  get engine(): EngineKind {
    return this.settings?.engine ?? this.defaultEngine;
  }

  get concurrency(): number {
    return this.settings?.concurrency ?? this.defaultConcurrency;
  }

  /** The parameters of the latest analysis, with their defaults. */
  get parameters(): Parameter[] {
    return this.cellflow.ir?.parameters ?? [];
  }

  /** What was typed for each parameter for the next run (text, or a checkbox's state). */
  get edits(): Readonly<Record<string, string | boolean>> {
    return this._edits;
  }

  setEdit(name: string, value: string | boolean): void {
    this._edits = { ...this._edits, [name]: value };
    this.stateChanged.emit();
  }

  /** Counts resets of the edits (and notebook changes), so the form knows to show the defaults again. */
  get editsGeneration(): number {
    return this._editsGeneration;
  }

  resetEdits(): void {
    this._edits = {};
    this._editsGeneration++;
    this.stateChanged.emit();
  }

  /** The edits as overrides, and the names whose text is not a value of their type. */
  get overrides(): ReturnType<typeof parameterOverrides> {
    return parameterOverrides(this.parameters, this._edits);
  }

  /** Why the notebook cannot be run from here now; null when it can. */
  get blocked(): Cellflow.IError | null {
    const settings = this.settings;
    if (!settings) {
      return null;
    }
    if (!settings.enabled) {
      return {
        code: 'pipeline-disabled',
        message: this._trans.__('cellflow is turned off for this notebook.'),
        hint: this._trans.__('Tick “Enable” in the settings above to compile and run it.')
      };
    }
    if (this.engine !== 'local') {
      return {
        code: 'engine-unavailable',
        message: this._trans.__('The %1 engine cannot run pipelines from JupyterLab yet.', this.engine),
        hint: this._trans.__('Choose the local engine in the settings above.')
      };
    }
    const { invalid } = this.overrides;
    if (invalid.length > 0) {
      return {
        code: 'invalid-parameter-value',
        message: this._trans.__('Not a number: %1.', invalid.join(', ')),
        hint: this._trans.__('Type a number for each of these parameters, or clear the field for its default.')
      };
    }
    return null;
  }

  /**
   * Compile and Run with the typed overrides and the notebook's concurrency; `subset` runs one step (`only`) or a
   * step and what follows it (`from`), as the cell badge asks.
   */
  async compileAndRun(subset: RunSubset = {}): Promise<RunView | null> {
    if (this.blocked) {
      return null;
    }
    return this.launcher.compileAndRun({
      parameters: this.overrides.overrides,
      concurrency: this.concurrency,
      ...subset
    });
  }

  get runs(): RunView[] {
    return this._runs;
  }

  get historyError(): Cellflow.IError | null {
    return this._historyError;
  }

  async refreshHistory(): Promise<void> {
    const path = this.cellflow.notebookPath;
    if (!path) {
      this._runs = [];
      this.stateChanged.emit();
      return;
    }
    await this._historyRequest.run(
      () => this._api.list(path),
      outcome => {
        if ('value' in outcome) {
          this._runs = outcome.value;
          this._historyError = null;
        } else {
          this._historyError = describeFailure(outcome.error, this._trans);
        }
        this.stateChanged.emit();
      },
      () => !this.isDisposed
    );
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._followMetadata(null);
    this.cellflow.stateChanged.disconnect(this._onCellflowChanged, this);
    this.launcher.stateChanged.disconnect(this._emit, this);
    this.launcher.runStarted.disconnect(this._onRunStarted, this);
    super.dispose();
  }

  private _onCellflowChanged(): void {
    const panel = this.cellflow.notebook;
    if (panel !== this._panel) {
      this._followMetadata(panel);
      this._edits = {};
      this._editsGeneration++;
      this._runs = [];
      this._historyError = null;
      void panel?.context.ready.then(() => this.refreshHistory());
    }
    this.stateChanged.emit();
  }

  private _followMetadata(panel: NotebookPanel | null): void {
    this._panel?.context.model.metadataChanged.disconnect(this._emit, this);
    this._panel = panel;
    panel?.context.model.metadataChanged.connect(this._emit, this);
  }

  private _onRunStarted(): void {
    void this.refreshHistory();
  }

  private _emit(): void {
    this.stateChanged.emit();
  }

  private _api: RunApi;
  private _trans: TranslationBundle;
  private _panel: NotebookPanel | null = null;
  private _edits: Record<string, string | boolean> = {};
  private _editsGeneration = 0;
  private _runs: RunView[] = [];
  private _historyError: Cellflow.IError | null = null;
  private readonly _historyRequest = new LatestRequest();
}

export namespace RunSidebarModel {
  export interface IOptions {
    cellflow: ICellflow;
    launcher: RunLauncher;
    api: RunApi;
    translator?: ITranslator;
  }
}
