/**
 * What the sidebar's Tuning section shows for the active notebook: the tuning switch and spec (in its metadata),
 * starting an experiment, and its past experiments. Changes to any of them emit `stateChanged`.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { LatestRequest } from '../latest-request';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { describeFailure } from '../server';
import { Cellflow, ICellflow } from '../tokens';
import { ExperimentApi } from './experiment-api';
import type { ExperimentRecord } from './experiment-types';
import { draftFromNotebook, IKatibMetadata, ITuneDraft } from './katib-spec';
import { INotebookTuneSettings, readTuneSettings, writeTuneSettings } from './tune-settings';

export class TuningModel extends VDomModel {
  constructor(options: TuningModel.IOptions) {
    super();
    this.cellflow = options.cellflow;
    this.api = options.api;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.cellflow.stateChanged.connect(this._onCellflowChanged, this);
    this._onCellflowChanged();
  }

  readonly cellflow: ICellflow;
  readonly api: ExperimentApi;

  get settings(): INotebookTuneSettings | null {
    const model = this.cellflow.notebook?.context.model;
    return model ? readTuneSettings(model.getMetadata('kubeflow_notebook'), model.getMetadata('cellflow')) : null;
  }

  /** Turns tuning on or off for the notebook (the notebook becomes dirty; starting saves it). */
  setEnabled(enabled: boolean): void {
    this._write({ enabled });
  }

  /** Writes the spec the dialog made, and turns tuning on. */
  setSpec(katibMetadata: IKatibMetadata): void {
    this._write({ enabled: true, katibMetadata });
  }

  /** The dialog's form for the notebook: its spec when it has one, else from its parameters and metrics. */
  draft(): ITuneDraft {
    const ir = this.cellflow.ir;
    return draftFromNotebook(ir?.parameters ?? [], ir?.metrics ?? [], this.settings?.katibMetadata ?? undefined);
  }

  get starting(): boolean {
    return this._starting;
  }

  /** Why the last start failed; null when it did not. */
  get startError(): Cellflow.IError | null {
    return this._startError;
  }

  /** Emitted with each experiment started from here. */
  get experimentStarted(): ISignal<this, ExperimentRecord> {
    return this._experimentStarted;
  }

  /**
   * Saves the notebook (the backend reads the spec from the file), then starts an experiment; resolves with its
   * record, or null when it could not start (`startError` says why).
   */
  async start(): Promise<ExperimentRecord | null> {
    const panel = this.cellflow.notebook;
    const path = this.cellflow.notebookPath;
    if (!panel || !path || this._starting) {
      return null;
    }
    if (!this.settings?.katibMetadata) {
      this._startError = {
        code: 'tune-missing-field',
        message: this._trans.__('The notebook has no tuning spec yet.'),
        hint: this._trans.__('Press “Tune…” to choose the parameters, the objective and the trials.')
      };
      this.stateChanged.emit();
      return null;
    }
    this._starting = true;
    this._startError = null;
    this.stateChanged.emit();
    try {
      await panel.context.save();
      const record = await this.api.create({ path });
      this._experimentStarted.emit(record);
      void this.refreshExperiments();
      return record;
    } catch (error) {
      this._startError = describeFailure(error, this._trans);
      return null;
    } finally {
      this._starting = false;
      this.stateChanged.emit();
    }
  }

  get experiments(): ExperimentRecord[] {
    return this._experiments;
  }

  get listError(): Cellflow.IError | null {
    return this._listError;
  }

  async refreshExperiments(): Promise<void> {
    const path = this.cellflow.notebookPath;
    if (!path) {
      this._experiments = [];
      this.stateChanged.emit();
      return;
    }
    await this._listRequest.run(
      async () => (await this.api.list(path)).experiments,
      outcome => {
        if ('value' in outcome) {
          this._experiments = outcome.value;
          this._listError = null;
        } else {
          this._listError = describeFailure(outcome.error, this._trans);
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
    super.dispose();
  }

  private _write(change: Parameters<typeof writeTuneSettings>[2]): void {
    const model = this.cellflow.notebook?.context.model;
    if (model) {
      model.setMetadata(
        'cellflow',
        writeTuneSettings(model.getMetadata('kubeflow_notebook'), model.getMetadata('cellflow'), change)
      );
    }
  }

  private _onCellflowChanged(): void {
    const panel = this.cellflow.notebook;
    if (panel !== this._panel) {
      this._followMetadata(panel);
      this._experiments = [];
      this._listError = null;
      this._startError = null;
      void panel?.context.ready.then(() => this.refreshExperiments());
    }
    this.stateChanged.emit();
  }

  private _followMetadata(panel: NotebookPanel | null): void {
    this._panel?.context.model.metadataChanged.disconnect(this._emit, this);
    this._panel = panel;
    panel?.context.model.metadataChanged.connect(this._emit, this);
  }

  private _emit(): void {
    this.stateChanged.emit();
  }

  private _trans: TranslationBundle;
  private _panel: NotebookPanel | null = null;
  private _starting = false;
  private _startError: Cellflow.IError | null = null;
  private _experiments: ExperimentRecord[] = [];
  private _listError: Cellflow.IError | null = null;
  private readonly _listRequest = new LatestRequest();
  private _experimentStarted = new Signal<this, ExperimentRecord>(this);
}

export namespace TuningModel {
  export interface IOptions {
    cellflow: ICellflow;
    api: ExperimentApi;
    translator?: ITranslator;
  }
}
