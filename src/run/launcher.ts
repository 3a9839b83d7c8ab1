/**
 * Compile, and Compile and Run, as the sidebar's buttons and the commands do them: save the notebook, analyze it,
 * compile it, submit the run; each stage shown while it lasts, and the first failure said with its code and hint.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import type { CompileResult, CreateRunRequest, RunView } from '../api/types';
import type { ParameterValue, PipelineIR } from '../ir';
import { describeFailure } from '../server';
import { Cellflow, ICellflow } from '../tokens';
import { RunApi } from './run-api';

export type LaunchStage = 'idle' | 'saving' | 'analyzing' | 'compiling' | 'submitting' | 'running';

export type RunOptions = {
  parameters?: Record<string, ParameterValue>;
  concurrency?: number;
  only?: string[];
  from?: string;
};

export class RunLauncher extends VDomModel {
  constructor(options: RunLauncher.IOptions) {
    super();
    this._cellflow = options.cellflow;
    this._api = options.api;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
  }

  get stage(): LaunchStage {
    return this._stage;
  }

  get busy(): boolean {
    return this._stage !== 'idle' && this._stage !== 'running';
  }

  get error(): Cellflow.IError | null {
    return this._error;
  }

  /** What the last compile reported; null before one or after a failure. */
  get compiled(): CompileResult | null {
    return this._compiled;
  }

  /** Emitted with each run this submitted, so the shell opens its view. */
  get runStarted(): ISignal<this, RunView> {
    return this._runStarted;
  }

  /** Saves, analyzes and compiles the active notebook; resolves with the compile report, or null on failure. */
  async compile(): Promise<CompileResult | null> {
    const compiled = await this._compile();
    if (compiled) {
      this._setStage('idle');
    }
    return compiled;
  }

  /** Compiles, then submits a run; resolves with the run as first read back, or null on failure. */
  async compileAndRun(options: RunOptions = {}): Promise<RunView | null> {
    const path = this._cellflow.notebookPath;
    // No idle stage between compiling and submitting: the stages shown run on.
    if (!path || !(await this._compile())) {
      return null;
    }
    return this.submit({ path, ...options });
  }

  private async _compile(): Promise<CompileResult | null> {
    const panel = this._cellflow.notebook;
    const path = this._cellflow.notebookPath;
    if (!panel || !path || this.busy) {
      return null;
    }
    this._error = null;
    this._compiled = null;
    try {
      if (!(await this._saveAndAnalyze(panel))) {
        return null;
      }
      this._setStage('compiling');
      const compiled = await this._api.compile({ path });
      const problem = compiled.diagnostics.find(diagnostic => diagnostic.severity === 'error');
      if (problem) {
        return this._stop({ code: problem.code, message: problem.message, hint: problem.hint });
      }
      this._compiled = compiled;
      return compiled;
    } catch (error) {
      return this._stop(describeFailure(error, this._trans));
    }
  }

  /** Submits a run of the saved notebook as it is (re-runs and step subsets of a past run). */
  async submit(request: CreateRunRequest): Promise<RunView | null> {
    this._error = null;
    this._setStage('submitting');
    try {
      const run = await this._api.create(request);
      this._setStage('running');
      this._runStarted.emit(run);
      return run;
    } catch (error) {
      return this._stop(describeFailure(error, this._trans));
    }
  }

  /** Told by the run's view when the run it started has finished. */
  noteRunFinished(): void {
    if (this._stage === 'running') {
      this._setStage('idle');
    }
  }

  private async _saveAndAnalyze(panel: NotebookPanel): Promise<boolean> {
    // The backend reads the file: unsaved edits would not be in the pipeline.
    if (panel.context.model.dirty) {
      this._setStage('saving');
      await panel.context.save();
    }
    this._setStage('analyzing');
    const ir: PipelineIR | null = await this._cellflow.analyze();
    if (!ir) {
      this._stop(
        this._cellflow.error ?? {
          code: 'analysis-failed',
          message: this._trans.__('The notebook could not be analyzed.'),
          hint: this._trans.__('See the problems listed in the pipeline sidebar.')
        }
      );
      return false;
    }
    const problem = ir.diagnostics.find(diagnostic => diagnostic.severity === 'error');
    if (problem) {
      const where =
        problem.cellIndex === null
          ? ''
          : problem.line === null
            ? this._trans.__(' (cell %1)', problem.cellIndex + 1)
            : this._trans.__(' (cell %1, line %2)', problem.cellIndex + 1, problem.line);
      this._stop({ code: problem.code, message: problem.message + where, hint: problem.hint });
      return false;
    }
    return true;
  }

  private _stop(error: Cellflow.IError): null {
    this._error = error;
    this._setStage('idle');
    return null;
  }

  private _setStage(stage: LaunchStage): void {
    this._stage = stage;
    this.stateChanged.emit();
  }

  private _cellflow: ICellflow;
  private _api: RunApi;
  private _trans: TranslationBundle;
  private _stage: LaunchStage = 'idle';
  private _error: Cellflow.IError | null = null;
  private _compiled: CompileResult | null = null;
  private _runStarted = new Signal<this, RunView>(this);
}

export namespace RunLauncher {
  export interface IOptions {
    cellflow: ICellflow;
    api: RunApi;
    translator?: ITranslator;
  }
}
