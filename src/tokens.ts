import { NotebookPanel } from '@jupyterlab/notebook';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import type { ApiBody, ErrorBody, HealthResponse } from './api/types';
import { PipelineIR } from './ir';

/**
 * The analysis of the active notebook, shared with other cellflow plugins
 * (cell annotations, run views) so they all show the same pipeline.
 */
export const ICellflow = new Token<ICellflow>(
  'cellflow:ICellflow',
  'The pipeline analysis of the active notebook: steps, data flow and diagnostics.'
);

export interface ICellflow extends VDomRenderer.IModel {
  /** The notebook whose pipeline is analyzed; null when no notebook is open. */
  readonly notebook: NotebookPanel | null;

  /** The notebook path relative to the Jupyter root, as the backend resolves it. */
  readonly notebookPath: string | null;

  /** The latest analysis; null before the first one or after the notebook closes. */
  readonly ir: PipelineIR | null;

  /** The ids of the cells `ir` was analyzed from, in order: the IR numbers cells by position. */
  readonly analyzedCellIds: readonly string[] | null;

  readonly status: Cellflow.AnalysisStatus;

  /** Why the last analysis failed; null when it did not. */
  readonly error: Cellflow.IError | null;

  /** True when the notebook was edited since the analysis `ir` holds was asked for. */
  readonly isStale: boolean;

  /** When the backend was last found restarted (after a crash); null if never. */
  readonly backendRestartedAt: Date | null;

  /** Emitted when a new IR is stored (or cleared). */
  readonly irChanged: ISignal<ICellflow, PipelineIR | null>;

  /** Analyzes the notebook's current (unsaved) cells now; resolves with the IR, or null on failure. */
  analyze(): Promise<PipelineIR | null>;
}

export namespace Cellflow {
  export type AnalysisStatus = 'idle' | 'analyzing' | 'ready' | 'error';

  /** A failure as the sidebar shows it: what happened and what to do. */
  export interface IError {
    code: string;
    message: string;
    hint: string;
  }

  /** `POST analyze` request body: `{ path }`, with `cells` for unsaved content. */
  export type IAnalyzeRequest = ApiBody<'/api/analyze', 'post'>;

  /**
   * `GET health` response body. `instance` and `startedAt` may be missing from an older backend: the
   * version check must still say what to do then.
   */
  export type IHealth = Omit<HealthResponse, 'instance' | 'startedAt'> &
    Partial<Pick<HealthResponse, 'instance' | 'startedAt'>>;

  /** The backend's error body: `{ error: { code, message, hint } }`. */
  export type IErrorResponse = ErrorBody;

  /** Arguments of the `cellflow:select-cell` command. */
  export interface ISelectCellArgs {
    /** 0-based cell index, as the IR numbers cells. */
    cellIndex: number;
    /** 1-based line inside the cell. */
    line?: number;
    /** 0-based column inside the line. */
    column?: number;
  }
}

/** Command IDs, `cellflow:verb-noun`; registered in commands.ts. */
export namespace CommandIDs {
  export const analyze = 'cellflow:analyze';
  export const selectCell = 'cellflow:select-cell';
  export const openSidebar = 'cellflow:open-sidebar';
  export const editAnnotation = 'cellflow:edit-annotation';
  export const splitIntoSteps = 'cellflow:split-into-steps';
  export const compile = 'cellflow:compile';
  export const compileAndRun = 'cellflow:compile-and-run';
  export const cancelRun = 'cellflow:cancel-run';
  export const openRun = 'cellflow:open-run';
  export const runAgain = 'cellflow:run-again';
  export const runStep = 'cellflow:run-step';
  export const runFromStep = 'cellflow:run-from-step';
  export const restoreState = 'cellflow:restore-state';
  export const restoreStep = 'cellflow:restore-step';
  export const restoreBestTrial = 'cellflow:restore-best-trial';
  export const runCellStep = 'cellflow:run-cell-step';
  export const runFromCellStep = 'cellflow:run-from-cell-step';
  export const editTuning = 'cellflow:edit-tuning';
  export const tune = 'cellflow:tune';
  export const openExperiment = 'cellflow:open-experiment';
}

/** The id of the one cellflow sidebar widget (left area), for `shell.activateById`. */
export const SIDEBAR_ID = 'cellflow-sidebar';

/**
 * The one cellflow sidebar: a left-area tab of collapsible sections (a JupyterLab `SidePanel` over a Lumino
 * `AccordionPanel`, as the debugger's sidebar is). Every cellflow panel is a section of it, added through this
 * token by the plugin that owns it:
 *
 * ```ts
 * const tuningPlugin: JupyterFrontEndPlugin<void> = {
 *   id: 'cellflow:tuning',
 *   requires: [ICellflowSidebar, ITranslator],
 *   activate: (app, sidebar: ICellflowSidebar, translator: ITranslator) => {
 *     const section = new TuningSection({ translator }); // any Lumino widget
 *     section.id = 'cellflow-tuning-section'; // stable: keys the remembered expanded state
 *     section.title.label = translator.load('cellflow').__('Tuning');
 *     sidebar.addSection(section, { rank: SidebarRank.tuning });
 *   }
 * };
 * ```
 */
export const ICellflowSidebar = new Token<ICellflowSidebar>(
  'cellflow:ICellflowSidebar',
  'The one cellflow sidebar: plugins add their panels to it as collapsible sections, ordered by rank.'
);

export interface ICellflowSidebar {
  /** The sidebar widget's id (`SIDEBAR_ID`). */
  readonly id: string;

  /**
   * Adds `widget` as a collapsible section. Sections are ordered by `rank`, lowest first (equal ranks in the
   * order added); see `SidebarRank` for the ranks in use. The section header shows `widget.title.label`, which
   * the caller translates, and `widget.title.caption` as its tooltip. `widget.id` must be set and stable across
   * reloads: the sidebar remembers which sections the user collapsed by it. A section collapsed last time
   * starts collapsed; others start expanded. Disposing the widget removes its section.
   */
  addSection(widget: Widget, options: ICellflowSidebar.ISectionOptions): void;

  /**
   * Opens the sidebar in the shell and expands the section (a widget given to `addSection`, or its id), so a
   * command can show what it acts on (Compile and Run shows the Run section). Unknown sections only open the
   * sidebar.
   */
  showSection(section: Widget | string): void;

  /** Whether the section is expanded; false for an unknown section. */
  isExpanded(section: Widget | string): boolean;

  /** Emitted with the section's id when the user (or `showSection`) expands or collapses it. */
  readonly sectionToggled: ISignal<ICellflowSidebar, string>;
}

export namespace ICellflowSidebar {
  export interface ISectionOptions {
    /** Where the section goes: lower ranks first. */
    rank: number;
    /**
     * The section's share of the sidebar's height against the other expanded sections' (default 1); the user
     * can drag the borders between sections too.
     */
    stretch?: number;
  }
}

/** The ranks of the sidebar's sections; leave gaps so others fit between. */
export namespace SidebarRank {
  /** Steps, their data flow and the notebook's problems (`cellflow:pipeline-section`). */
  export const pipeline = 100;
  /** Notebook settings, the next run's parameters, Compile / Compile and Run (`cellflow:runs`). */
  export const run = 200;
  /** The notebook's past runs (`cellflow:runs`). */
  export const history = 300;
  /** Tuning (Katib-style experiments). */
  export const tuning = 400;
  /** Storage (where runs keep their files). */
  export const storage = 500;
}
