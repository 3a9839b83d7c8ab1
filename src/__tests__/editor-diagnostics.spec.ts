import { EditorState, StateEffect, Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { diagnosticUnderlines, setUnderlines, showDiagnostics, underlineRange } from '../editor-diagnostics';
import type { Diagnostic } from '../ir';

const DOC = Text.of(['const a = 1;', 'total = missing + a;', '']);

function d(line: number | null, column: number | null): Diagnostic {
  return { code: 'undefined-name', severity: 'error', message: 'm', hint: 'h', cellIndex: 0, line, column };
}

describe('underlineRange', () => {
  it('underlines the name at the column', () => {
    const range = underlineRange(DOC, 2, 8)!;
    expect(DOC.sliceString(range.from, range.to)).toBe('missing');
  });

  it('underlines the whole line without a column', () => {
    const range = underlineRange(DOC, 1, null)!;
    expect(DOC.sliceString(range.from, range.to)).toBe('const a = 1;');
  });

  it('stays inside a document that changed since the analysis', () => {
    expect(underlineRange(DOC, 9, 0)).toBeNull(); // the last line is empty
    const range = underlineRange(DOC, 2, 200)!;
    expect(DOC.sliceString(range.from, range.to)).toBe('total = missing + a;');
  });

  it('underlines nothing for a diagnostic without a line', () => {
    expect(underlineRange(DOC, null, null)).toBeNull();
  });
});

describe('showDiagnostics', () => {
  it('adds the field once and marks the range with the diagnostic class and hint', () => {
    const view = new EditorView({ state: EditorState.create({ doc: DOC }) });
    // What CodeMirrorEditor.injectExtension does.
    const inject = jest.fn(extension => view.dispatch({ effects: StateEffect.appendConfig.of(extension) }));
    showDiagnostics(view, [d(2, 8)], inject);
    expect(inject).toHaveBeenCalledTimes(1);
    const marks = view.contentDOM.querySelectorAll('.jp-cellflow-Underline.jp-mod-error');
    expect(Array.from(marks).map(m => m.textContent)).toEqual(['missing']);
    expect(marks[0].getAttribute('title')).toBe('m\nh');

    showDiagnostics(view, [], inject);
    expect(inject).toHaveBeenCalledTimes(1);
    expect(view.contentDOM.querySelectorAll('.jp-cellflow-Underline')).toHaveLength(0);
    view.destroy();
  });

  it('moves underlines with the text typed before them', () => {
    const view = new EditorView({ state: EditorState.create({ doc: DOC, extensions: diagnosticUnderlines }) });
    view.dispatch({ effects: setUnderlines.of([{ from: 21, to: 28, severity: 'error', title: 't' }]) });
    view.dispatch({ changes: { from: 0, insert: '// note\n' } });
    const marks = view.contentDOM.querySelectorAll('.jp-cellflow-Underline');
    expect(Array.from(marks).map(m => m.textContent)).toEqual(['missing']);
    view.destroy();
  });
});
