import type { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { SidePanel } from '@jupyterlab/ui-components';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { ISignal, Signal } from '@lumino/signaling';
import { AccordionPanel, SplitPanel, Widget } from '@lumino/widgets';
import { pipelineIcon } from './icons';
import { ICellflowSidebar, SIDEBAR_ID } from './tokens';

/**
 * The one cellflow sidebar: a `SidePanel` whose content is an `AccordionPanel` of sections ordered by rank
 * (`ICellflowSidebar` in tokens.ts is how plugins add to it). It remembers the sections the user collapsed, by
 * their widget ids, in the state database, so a reload shows the sidebar as it was left.
 */
export class CellflowSidebar extends SidePanel implements ICellflowSidebar {
  constructor(options: CellflowSidebar.IOptions = {}) {
    super({ translator: options.translator });
    const trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = SIDEBAR_ID;
    this.addClass('jp-cellflow-Sidebar');
    this.title.icon = pipelineIcon;
    this.title.caption = trans.__('cellflow');
    this._accordion.expansionToggled.connect(this._onExpansionToggled, this);
    this._state = options.state ?? null;
    this._shell = options.shell ?? null;
    this.restored = this._restore();
  }

  /** Resolves once the remembered collapsed sections are read (at once without a state database). */
  readonly restored: Promise<void>;

  /** Emitted with a section's id when it is expanded or collapsed. */
  get sectionToggled(): ISignal<this, string> {
    return this._sectionToggled;
  }

  /** The ids of the sections, in the order shown. */
  get sectionIds(): string[] {
    return this._accordion.widgets.map(widget => widget.id);
  }

  /** Adds a section after every section of lower or equal rank. */
  addSection(widget: Widget, options: ICellflowSidebar.ISectionOptions): void {
    if (!widget.id) {
      throw new Error('cellflow: a sidebar section needs a stable widget id.');
    }
    Private.rank.set(widget, options.rank);
    widget.addClass('jp-cellflow-SidebarSection');
    widget.title.dataset = { ...widget.title.dataset, section: widget.id };
    SplitPanel.setStretch(widget, options.stretch ?? 1);
    const widgets = this._accordion.widgets;
    const after = widgets.findIndex(section => (Private.rank.get(section) ?? 0) > options.rank);
    const index = after < 0 ? widgets.length : after;
    this._accordion.insertWidget(index, widget);
    if (index < widgets.length - 1) {
      this._orderNodes();
    }
    if (this._collapsed.has(widget.id)) {
      this._applying = true;
      this._accordion.collapse(index);
      this._applying = false;
    }
  }

  /** Activates the sidebar in the shell (when it has one) and expands the section. */
  showSection(section: Widget | string): void {
    this._shell?.activateById(this.id);
    this.expandSection(section);
  }

  /** Expands a section (the widget or its id); false when there is no such section. */
  expandSection(section: Widget | string): boolean {
    const index = this._indexOf(section);
    if (index < 0) {
      return false;
    }
    this._accordion.expand(index);
    return true;
  }

  /** Collapses a section (the widget or its id); false when there is no such section. */
  collapseSection(section: Widget | string): boolean {
    const index = this._indexOf(section);
    if (index < 0) {
      return false;
    }
    this._accordion.collapse(index);
    return true;
  }

  /** Whether the section is shown expanded; false for an unknown section. */
  isExpanded(section: Widget | string): boolean {
    const index = this._indexOf(section);
    return index >= 0 && !this._accordion.widgets[index].isHidden;
  }

  private get _accordion(): AccordionPanel {
    return this.content as AccordionPanel;
  }

  /**
   * Lumino's accordion appends each new title and section to the DOM and places them by position only, so a
   * section inserted before others would come last for Tab and screen readers. Puts the nodes in the order shown.
   */
  private _orderNodes(): void {
    const accordion = this._accordion;
    accordion.widgets.forEach((widget, index) => {
      const title = accordion.titles[index];
      if (title) {
        accordion.node.appendChild(title);
      }
      if (widget.node.parentNode === accordion.node) {
        accordion.node.appendChild(widget.node);
      }
    });
  }

  private _indexOf(section: Widget | string): number {
    const id = typeof section === 'string' ? section : section.id;
    return this._accordion.widgets.findIndex(widget => widget.id === id);
  }

  private _onExpansionToggled(_: AccordionPanel, index: number): void {
    const widget = this._accordion.widgets[index];
    if (!widget) {
      return;
    }
    // The set, not the sections shown now, is what is saved: a section whose plugin has not added it yet (or
    // is disabled this time) keeps its remembered state.
    if (widget.isHidden) {
      this._collapsed.add(widget.id);
    } else {
      this._collapsed.delete(widget.id);
    }
    if (!this._applying) {
      void this._save();
    }
    this._sectionToggled.emit(widget.id);
  }

  private async _restore(): Promise<void> {
    if (!this._state) {
      return;
    }
    try {
      const saved = (await this._state.fetch(Private.stateKey)) as ReadonlyPartialJSONObject | undefined;
      const collapsed = Array.isArray(saved?.collapsed) ? saved.collapsed : [];
      for (const id of collapsed) {
        if (typeof id === 'string') {
          this._collapsed.add(id);
        }
      }
    } catch (reason) {
      console.warn('cellflow: could not read the sidebar state.', reason);
    }
    // Sections added while the state was read.
    this._applying = true;
    this._accordion.widgets.forEach((widget, index) => {
      if (this._collapsed.has(widget.id)) {
        this._accordion.collapse(index);
      }
    });
    this._applying = false;
  }

  private async _save(): Promise<void> {
    if (!this._state) {
      return;
    }
    await this.restored;
    try {
      await this._state.save(Private.stateKey, { collapsed: [...this._collapsed].sort() });
    } catch (reason) {
      console.warn('cellflow: could not save the sidebar state.', reason);
    }
  }

  private _state: IStateDB | null;
  private _shell: CellflowSidebar.IShell | null;
  private _collapsed = new Set<string>();
  private _applying = false;
  private _sectionToggled = new Signal<this, string>(this);
}

export namespace CellflowSidebar {
  export interface IOptions {
    translator?: ITranslator;
    /** Where the collapsed sections are remembered; none: they are not. */
    state?: IStateDB;
    /** The application shell, to show the sidebar for `showSection`. */
    shell?: IShell;
  }

  export interface IShell {
    activateById(id: string): void;
  }
}

namespace Private {
  export const stateKey = 'cellflow:sidebar';
  export const rank = new WeakMap<Widget, number>();
}
