/**
 * Diagnostics as underlines in a cell's CodeMirror 6 editor: a state field of
 * mark decorations, set by an effect, so a new analysis replaces them in one
 * transaction and CodeMirror maps them through the edits typed meanwhile.
 */
import { EditorState, Extension, RangeSetBuilder, StateEffect, StateField, Text } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView } from '@codemirror/view';
import type { Diagnostic } from './ir';

/** Where an underline goes, in the editor's document. */
export interface IUnderline {
  from: number;
  to: number;
  severity: Diagnostic['severity'];
  /** Shown on hover: the message and what to do. */
  title: string;
}

export const setUnderlines = StateEffect.define<IUnderline[]>();

const underlineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(underlines, transaction) {
    let next = underlines.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(setUnderlines)) {
        next = buildDecorations(effect.value);
      }
    }
    return next;
  },
  provide: field => EditorView.decorations.from(field)
});

/** The extension each cell editor needs once. */
export const diagnosticUnderlines: Extension = underlineField;

function buildDecorations(underlines: readonly IUnderline[]): DecorationSet {
  const builder = new RangeSetBuilder<Decoration>();
  for (const u of [...underlines].sort((a, b) => a.from - b.from || a.to - b.to)) {
    builder.add(
      u.from,
      u.to,
      Decoration.mark({
        class: `jp-cellflow-Underline jp-mod-${u.severity}`,
        attributes: { title: u.title }
      })
    );
  }
  return builder.finish();
}

/**
 * The range a diagnostic points at: from its column to the end of the word
 * there (the name it is about), else the whole line; clamped to the document,
 * since the cell may have changed since it was analyzed. None for a diagnostic
 * without a line.
 */
export function underlineRange(
  doc: Text,
  line: number | null,
  column: number | null
): { from: number; to: number } | null {
  if (line === null || doc.lines === 0) {
    return null;
  }
  const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
  if (column === null || column >= target.length) {
    return target.length === 0 ? null : { from: target.from, to: target.to };
  }
  const text = target.text;
  let end = column;
  while (end < text.length && /[\w$]/.test(text[end])) {
    end++;
  }
  if (end === column) {
    end = Math.min(text.length, column + 1);
  }
  return { from: target.from + column, to: target.from + end };
}

/** Underlines for the diagnostics of one cell, in `state`'s document. */
export function underlinesFor(state: EditorState, diagnostics: readonly Diagnostic[]): IUnderline[] {
  const underlines: IUnderline[] = [];
  for (const d of diagnostics) {
    const range = underlineRange(state.doc, d.line, d.column);
    if (range) {
      underlines.push({ ...range, severity: d.severity, title: d.hint ? `${d.message}\n${d.hint}` : d.message });
    }
  }
  return underlines;
}

/** Shows `diagnostics` as underlines in `view`, adding the field to an editor that lacks it. */
export function showDiagnostics(
  view: EditorView,
  diagnostics: readonly Diagnostic[],
  inject: (extension: Extension) => void
): void {
  if (view.state.field(underlineField, false) === undefined) {
    inject(diagnosticUnderlines);
  }
  view.dispatch({ effects: setUnderlines.of(underlinesFor(view.state, diagnostics)) });
}
