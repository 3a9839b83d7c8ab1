/**
 * "Split into steps": asks the backend for `annotate`'s proposal for the
 * notebook as it is now (unsaved cells included), previews it, and applies
 * its tags only when the user accepts and the cells are still the ones the
 * proposal was made for.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { INotebookModel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { cellsForAnalysis } from './analysis-request';
import type { IAnalyzeRequest, IAnnotateProposal } from './api/types';
import { SplitPreview } from './components/SplitPreview';
import { requestAPI } from './request';
import { describeFailure } from './server';

export type SplitOutcome = 'applied' | 'rejected' | 'nothing-proposed' | 'notebook-changed' | 'failed';

export async function splitIntoSteps(
  path: string,
  model: INotebookModel,
  trans: TranslationBundle,
  serverSettings?: ServerConnection.ISettings
): Promise<SplitOutcome> {
  const { cells, ids } = cellsForAnalysis(model.cells);
  const body: IAnalyzeRequest = { path, cells };
  let proposal: IAnnotateProposal;
  try {
    proposal = await requestAPI<IAnnotateProposal>(
      'annotate',
      { method: 'POST', body: JSON.stringify(body) },
      serverSettings
    );
  } catch (error) {
    const failure = describeFailure(error, trans);
    await showDialog({
      title: trans.__('Could not propose steps'),
      body: `${failure.message} ${failure.hint}`,
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return 'failed';
  }

  const preview = React.createElement(SplitPreview, { proposal, trans });
  if (proposal.cells.length === 0) {
    await showDialog({
      title: trans.__('No split proposed'),
      body: preview,
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return 'nothing-proposed';
  }
  const result = await showDialog({
    title:
      proposal.outcome === 'split'
        ? trans._n('Split into %1 step?', 'Split into %1 steps?', proposal.steps.length)
        : trans.__('Keep the notebook as one step?'),
    body: preview,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Reject') }),
      Dialog.okButton({ label: trans.__('Accept: write the tags') })
    ]
  });
  if (!result.button.accept) {
    return 'rejected';
  }
  const now = cellsForAnalysis(model.cells).ids;
  if (now.length !== ids.length || now.some((id, i) => id !== ids[i])) {
    await showDialog({
      title: trans.__('The notebook changed'),
      body: trans.__(
        'Cells were added, removed or moved while the split was proposed; nothing was written. Ask again.'
      ),
      buttons: [Dialog.okButton({ label: trans.__('Close') })]
    });
    return 'notebook-changed';
  }
  model.sharedModel.transact(() => {
    for (const { index, tags } of proposal.cells) {
      const cell = model.cells.get(index);
      if (tags.length === 0) {
        cell.deleteMetadata('tags');
      } else {
        cell.setMetadata('tags', tags);
      }
    }
  });
  return 'applied';
}
