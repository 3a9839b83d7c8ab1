/**
 * The annotation editor dialog: reads the cell's tags, lets the user edit the
 * annotation, and writes Kale's tags back (tags it does not edit are kept).
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { ICellModel } from '@jupyterlab/cells';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { annotationFromTags, annotationProblems, ICellAnnotation, tagsFromAnnotation } from './annotation';
import { AnnotationEditor } from './components/AnnotationEditor';

/** The dialog's body; its value is the annotation as edited. */
class AnnotationEditorBody extends ReactWidget implements Dialog.IBodyWidget<ICellAnnotation> {
  constructor(private readonly _props: Omit<React.ComponentProps<typeof AnnotationEditor>, 'onChange'>) {
    super();
    this._value = _props.initial;
    this.addClass('jp-cellflow-AnnotationDialog');
  }

  getValue(): ICellAnnotation {
    return this._value;
  }

  protected render(): JSX.Element {
    return <AnnotationEditor {...this._props} onChange={value => (this._value = value)} />;
  }

  private _value: ICellAnnotation;
}

/** Steps of the notebook by their tags, and those whose first cell is above `index`. */
export function stepsAround(tagsOfCodeCells: ReadonlyArray<{ index: number; tags: readonly string[] }>, index: number) {
  const steps: string[] = [];
  const earlier: string[] = [];
  for (const cell of tagsOfCodeCells) {
    const annotation = annotationFromTags(cell.tags);
    if (annotation.kind === 'step' && annotation.step !== '' && !steps.includes(annotation.step)) {
      steps.push(annotation.step);
      if (cell.index < index) {
        earlier.push(annotation.step);
      }
    }
  }
  return { steps, earlier };
}

/**
 * Opens the editor on `cell` (the `index`-th of `cells`); writes its tags when
 * the user saves a valid annotation. Resolves with the tags written, or null.
 */
export async function editCellAnnotation(
  cells: readonly ICellModel[],
  cell: ICellModel,
  trans: TranslationBundle
): Promise<string[] | null> {
  const tagsOf = (model: ICellModel) => (model.getMetadata('tags') as string[] | undefined) ?? [];
  const index = cells.indexOf(cell);
  const { steps, earlier } = stepsAround(
    cells.map((model, i) => ({ index: i, tags: model.type === 'code' ? tagsOf(model) : [] })),
    index
  );
  let annotation = annotationFromTags(tagsOf(cell));
  for (;;) {
    const result = await showDialog<ICellAnnotation>({
      title: trans.__('Cell %1: pipeline annotation', index + 1),
      body: new AnnotationEditorBody({ initial: annotation, steps, earlierSteps: earlier, trans }),
      buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Save') })],
      focusNodeSelector: 'select[name="kind"]'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    annotation = result.value;
    // Shown in the form already; asked again until it is valid or cancelled.
    if (annotationProblems(annotation, trans).length === 0) {
      break;
    }
  }
  const tags = tagsFromAnnotation(annotation);
  if (tags.length === 0) {
    cell.deleteMetadata('tags');
  } else {
    cell.setMetadata('tags', tags);
  }
  return tags;
}
