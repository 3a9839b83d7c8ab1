/** The annotation editor shows its problems through the translator it is given, as every user-visible string. */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { act } from 'react';
import { createRoot, Root } from 'react-dom/client';
import { emptyAnnotation } from '../annotation';
import { AnnotationEditor } from '../components/AnnotationEditor';

/** A translator into "upper case": each string comes back marked, so untranslated text shows as it was. */
const shouting: TranslationBundle = {
  ...nullTranslator.load('cellflow'),
  __: (text: string, ...args: unknown[]) =>
    `«${args.reduce<string>((t, a, i) => t.replace(`%${i + 1}`, String(a)), text).toUpperCase()}»`
} as TranslationBundle;

describe('AnnotationEditor', () => {
  let host: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    host = document.createElement('div');
    document.body.appendChild(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root.unmount());
    host.remove();
  });

  it('shows each problem translated', () => {
    const initial = { ...emptyAnnotation(), kind: 'step' as const, step: 'Bad Name', prev: ['Bad Name'], gpus: 1.5 };
    act(() =>
      root.render(
        <AnnotationEditor initial={initial} steps={[]} earlierSteps={[]} onChange={() => undefined} trans={shouting} />
      )
    );
    const problems = Array.from(host.querySelectorAll('.jp-cellflow-FieldProblem')).map(node => node.textContent);
    expect(problems).toEqual([
      '«A STEP NAME STARTS WITH A LOWERCASE LETTER OR _ AND HAS ONLY LOWERCASE LETTERS, DIGITS AND _.»',
      '«A STEP CANNOT RUN AFTER ITSELF.»',
      '«GPUS: A WHOLE NUMBER, 0 OR MORE.»'
    ]);
    // The labels too: no text of the form comes from outside the translator.
    const labels = Array.from(host.querySelectorAll('label > span')).map(node => node.textContent ?? '');
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter(label => !/^«.*»$/.test(label))).toEqual([]);
  });
});
