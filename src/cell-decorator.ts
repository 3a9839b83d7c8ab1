/**
 * Puts the pipeline on the notebook's cells: a coloured left border, a badge
 * with the step (or kind), what the step receives and hands on, and the
 * diagnostics, as a marker on the cell and underlines in its editor.
 *
 * JupyterLab 4 windows long notebooks: a cell outside the viewport may not be
 * rendered yet (a placeholder without editor or layout). Classes and the
 * colour go on the cell's node, which exists from the start; the badge and
 * the underlines wait for `cell.ready` (the cell rendered), and then show the
 * cell's decoration as it is at that moment. Only cells whose decoration
 * changed are touched, so an analysis per pause in typing stays cheap in a
 * 200-cell notebook.
 */
import { Cell } from '@jupyterlab/cells';
import { CodeMirrorEditor } from '@jupyterlab/codemirror';
import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { PanelLayout, Widget } from '@lumino/widgets';
import { changedDecorations, decorateCells, IAnalysisSnapshot, ICellDecoration } from './cell-decorations';
import { showDiagnostics } from './editor-diagnostics';

export const DECORATED_CLASS = 'jp-cellflow-Decorated';

export class CellDecorator implements IDisposable {
  constructor(options: CellDecorator.IOptions) {
    this._panel = options.panel;
    this._trans = options.trans;
    this._onEdit = options.onEdit;
    this._onRun = options.onRun;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Shows `analysis` (null: none yet) on the cells; re-renders only the cells whose decoration changed. */
  update(analysis: IAnalysisSnapshot | null): void {
    if (this._isDisposed) {
      return;
    }
    const notebook = this._panel.content;
    const widgets = new Map<string, Cell>();
    const cells = notebook.widgets.map(cell => {
      widgets.set(cell.model.id, cell);
      return {
        id: cell.model.id,
        type: cell.model.type,
        tags: (cell.model.getMetadata('tags') as string[] | undefined) ?? []
      };
    });
    const next = decorateCells(cells, analysis);
    const changed = changedDecorations(this._decorations, next);
    this._decorations = next;
    for (const id of changed) {
      const cell = widgets.get(id);
      if (cell) {
        this._decorate(cell);
      }
    }
  }

  /** The decoration a cell shows now; undefined when it shows none. */
  decorationOf(cellId: string): ICellDecoration | undefined {
    return this._decorations.get(cellId);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    for (const cell of this._panel.content.widgets) {
      this._decorations.delete(cell.model.id);
      if (!cell.isDisposed) {
        this._decorate(cell);
      }
    }
    this._decorations.clear();
  }

  private _decorate(cell: Cell): void {
    const decoration = this._decorations.get(cell.model.id);
    const node = cell.node;
    node.classList.toggle(DECORATED_CLASS, decoration !== undefined);
    if (decoration) {
      node.dataset.cellflowKind = decoration.kind;
      node.dataset.cellflowStep = decoration.step ?? '';
      node.style.setProperty('--jp-cellflow-step-color', decoration.color);
    } else {
      delete node.dataset.cellflowKind;
      delete node.dataset.cellflowStep;
      node.style.removeProperty('--jp-cellflow-step-color');
    }
    if (cell.isPlaceholder()) {
      // Rendered later (scrolled into view): the badge and underlines follow then, with what is current.
      if (!this._waiting.has(cell)) {
        this._waiting.add(cell);
        void cell.ready.then(() => {
          this._waiting.delete(cell);
          if (!this._isDisposed && !cell.isDisposed) {
            this._renderInfo(cell);
          }
        });
      }
      return;
    }
    this._renderInfo(cell);
  }

  /** The badge, data flow and diagnostics marker above the cell's input, and the editor's underlines. */
  private _renderInfo(cell: Cell): void {
    const decoration = this._decorations.get(cell.model.id);
    let info = this._info.get(cell);
    if (!decoration) {
      info?.dispose();
      this._info.delete(cell);
    } else {
      if (!info || info.isDisposed) {
        info = new CellInfo(this._trans, () => this._onEdit(cell), this._onRun);
        this._info.set(cell, info);
        // After the cell's header, before its input.
        (cell.layout as PanelLayout).insertWidget(1, info);
      }
      info.render(decoration);
    }
    const editor = cell.editor;
    if (editor instanceof CodeMirrorEditor) {
      const diagnostics = decoration?.diagnostics ?? [];
      // Editors that never had underlines need none cleared.
      if (diagnostics.length > 0 || this._underlined.has(cell)) {
        showDiagnostics(editor.editor, diagnostics, extension => editor.injectExtension(extension));
        if (diagnostics.length > 0) {
          this._underlined.add(cell);
        } else {
          this._underlined.delete(cell);
        }
      }
    }
  }

  private _panel: NotebookPanel;
  private _trans: TranslationBundle;
  private _onEdit: (cell: Cell) => void;
  private _onRun: ((step: string, mode: RunMode) => void) | undefined;
  private _decorations = new Map<string, ICellDecoration>();
  private _info = new WeakMap<Cell, CellInfo>();
  private _waiting = new WeakSet<Cell>();
  private _underlined = new WeakSet<Cell>();
  private _isDisposed = false;
}

export namespace CellDecorator {
  export interface IOptions {
    panel: NotebookPanel;
    trans: TranslationBundle;
    /** Clicking the badge: edit the cell's annotation. */
    onEdit: (cell: Cell) => void;
    /** The run buttons on a step's first cell: run that step only, or it and every step after it. */
    onRun?: (step: string, mode: RunMode) => void;
  }
}

/** What the badge's run buttons ask: `only` this step, or `from` it on. */
export type RunMode = 'only' | 'from';

/** The line above a cell's input: badge, data flow, diagnostics. Plain DOM: there may be hundreds. */
class CellInfo extends Widget {
  constructor(
    private readonly _trans: TranslationBundle,
    onEdit: () => void,
    onRun?: (step: string, mode: RunMode) => void
  ) {
    super();
    this.addClass('jp-cellflow-CellInfo');
    this._badge = document.createElement('button');
    this._badge.className = 'jp-cellflow-Badge';
    this._badge.addEventListener('click', event => {
      event.stopPropagation();
      onEdit();
    });
    this._flow = document.createElement('span');
    this._flow.className = 'jp-cellflow-Flow';
    this._problems = document.createElement('ul');
    this._problems.className = 'jp-cellflow-CellDiagnostics';
    this._runs = document.createElement('span');
    this._runs.className = 'jp-cellflow-BadgeRuns';
    if (onRun) {
      this._runs.append(
        this._runButton('only', trans => trans.__('▶ step'), onRun),
        this._runButton('from', trans => trans.__('▶ from here'), onRun)
      );
    }
    const line = document.createElement('div');
    line.className = 'jp-cellflow-CellInfoLine';
    line.append(this._badge, this._flow, this._runs);
    this.node.append(line, this._problems);
  }

  render(decoration: ICellDecoration): void {
    const trans = this._trans;
    this._badge.textContent = decoration.label;
    this._badge.title = trans.__('Edit the annotation of this cell (%1)', decoration.label);
    this._badge.dataset.kind = decoration.kind;
    // Only a step's first cell offers to run it, as it is the one that shows the step's data flow.
    const step = decoration.kind === 'step' && decoration.first ? decoration.step : null;
    this._step = step;
    this._runs.hidden = step === null;
    for (const button of Array.from(this._runs.children) as HTMLButtonElement[]) {
      button.title =
        button.dataset.mode === 'only'
          ? trans.__('Compile the notebook and run only step %1, with the parameters typed in the sidebar', step ?? '')
          : trans.__(
              'Compile the notebook and run step %1 and every step after it, with the parameters typed in the sidebar',
              step ?? ''
            );
    }
    this._flow.replaceChildren(...flowParts(decoration, trans));
    this._problems.replaceChildren(
      ...decoration.diagnostics.map(d => {
        const item = document.createElement('li');
        item.className = `jp-cellflow-CellDiagnostic jp-mod-${d.severity}`;
        item.dataset.code = d.code;
        const place = document.createElement('span');
        place.className = 'jp-cellflow-CellDiagnosticPlace';
        place.textContent = d.line === null ? d.code : trans.__('line %1 · %2', d.line, d.code);
        const message = document.createElement('span');
        message.className = 'jp-cellflow-CellDiagnosticMessage';
        message.textContent = d.message;
        const hint = document.createElement('span');
        hint.className = 'jp-cellflow-CellDiagnosticHint';
        hint.textContent = d.hint;
        item.append(place, message, hint);
        return item;
      })
    );
    this._problems.hidden = decoration.diagnostics.length === 0;
  }

  private _runButton(
    mode: RunMode,
    label: (trans: TranslationBundle) => string,
    onRun: (step: string, mode: RunMode) => void
  ): HTMLButtonElement {
    const button = document.createElement('button');
    button.className = 'jp-cellflow-BadgeRun';
    button.dataset.mode = mode;
    button.textContent = label(this._trans);
    button.addEventListener('click', event => {
      event.stopPropagation();
      if (this._step !== null) {
        onRun(this._step, mode);
      }
    });
    return button;
  }

  private _badge: HTMLButtonElement;
  private _runs: HTMLSpanElement;
  private _step: string | null = null;
  private _flow: HTMLSpanElement;
  private _problems: HTMLUListElement;
}

/** "receives a, b from load · hands on c": what the first cell of a step says about its data. */
function flowParts(decoration: ICellDecoration, trans: TranslationBundle): Node[] {
  if (decoration.kind !== 'step' || !decoration.first) {
    return [];
  }
  const parts: Node[] = [];
  const bySource = new Map<string, string[]>();
  for (const input of decoration.ins) {
    bySource.set(input.from, [...(bySource.get(input.from) ?? []), input.name]);
  }
  for (const [from, names] of bySource) {
    parts.push(phrase('jp-cellflow-FlowIn', trans.__('receives %1 from %2', names.join(', '), from), from));
  }
  if (decoration.outs.length > 0) {
    parts.push(phrase('jp-cellflow-FlowOut', trans.__('hands on %1', decoration.outs.join(', '))));
  }
  if (parts.length === 0) {
    parts.push(phrase('jp-cellflow-FlowNone', trans.__('receives and hands on nothing')));
  }
  return parts;
}

function phrase(className: string, text: string, from?: string): HTMLElement {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  if (from !== undefined) {
    span.dataset.from = from;
  }
  return span;
}
