import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import React from 'react';
import type { GcReport } from '../../api/types';
import { StorageModel } from '../../storage/storage-model';

/**
 * The sidebar's Storage section: how many snapshots the notebook folder's store holds and the disk it takes, and
 * "Clean up…", which shows what gc would remove (its dry run) before it removes anything.
 */
export class StorageSection extends VDomRenderer<StorageModel> {
  static readonly id = 'cellflow-storage-section';

  constructor(options: StorageSection.IOptions) {
    super(options.model);
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = StorageSection.id;
    this.addClass('jp-cellflow-StorageSection');
    this.title.label = this._trans.__('Storage');
    this.title.caption = this._trans.__(
      "The snapshots runs keep of the notebook's folder and of each step, and the disk they take"
    );
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    if (model.notebookPath === null) {
      return (
        <div className="jp-cellflow-Panel">
          <p className="jp-cellflow-Empty">{trans.__('Open a notebook to see the storage its runs use.')}</p>
        </div>
      );
    }
    const usage = model.usage;
    return (
      <div className="jp-cellflow-Panel" data-busy={model.busy ? 'true' : 'false'}>
        {usage ? (
          <p className="jp-cellflow-StorageUsage" data-snapshots={usage.snapshots} data-bytes={usage.bytes}>
            {trans._n('%1 snapshot', '%1 snapshots', usage.snapshots)}
            {' · '}
            {formatBytes(usage.bytes, trans)}
            {usage.pinned > 0 && ` · ${trans.__('%1 pinned', usage.pinned)}`}
          </p>
        ) : (
          !model.error && <p className="jp-cellflow-Empty">{trans.__('Reading the store…')}</p>
        )}
        {model.error && (
          <div className="jp-cellflow-Error" role="alert">
            <p className="jp-cellflow-ErrorMessage">{model.error.message}</p>
            {model.error.hint && <p className="jp-cellflow-ErrorHint">{model.error.hint}</p>}
          </div>
        )}
        <div className="jp-cellflow-StorageActions">
          <button
            className="jp-cellflow-StorageCleanUp jp-mod-styled"
            disabled={model.busy || !usage}
            onClick={() => void this._cleanUp()}
          >
            {trans.__('Clean up…')}
          </button>
          <button className="jp-cellflow-LinkButton" disabled={model.busy} onClick={() => void model.refresh()}>
            {trans.__('Refresh')}
          </button>
        </div>
      </div>
    );
  }

  /** Shows gc's dry run; removes only after the user says so. */
  private async _cleanUp(): Promise<void> {
    const trans = this._trans;
    const preview = await this.model.preview();
    if (!preview) {
      return;
    }
    const body = <GcPreview report={preview} trans={trans} />;
    if (preview.removedSnapshots.length === 0 && preview.removedObjects === 0) {
      await showDialog({
        title: trans.__('Nothing to clean up'),
        body,
        buttons: [Dialog.okButton({ label: trans.__('Close') })]
      });
      return;
    }
    const answer = await showDialog({
      title: trans.__('Clean up snapshot storage?'),
      body,
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: trans.__('Remove') })]
    });
    if (!answer.button.accept) {
      return;
    }
    const report = await this.model.collect();
    if (report) {
      Notification.success(
        trans.__(
          'Removed %1 snapshot(s) and %2 stored file(s), %3 freed.',
          report.removedSnapshots.length,
          report.removedObjects,
          formatBytes(report.removedBytes, trans)
        ),
        { autoClose: 5000 }
      );
    }
  }

  private _trans: TranslationBundle;
}

export namespace StorageSection {
  export interface IOptions {
    model: StorageModel;
    translator?: ITranslator;
  }
}

/** What gc would remove and what it keeps, and why. */
export function GcPreview(props: { report: GcReport; trans: TranslationBundle }): JSX.Element {
  const { report, trans } = props;
  return (
    <div className="jp-cellflow-GcPreview">
      <p className="jp-cellflow-GcRemoves">
        {trans.__(
          'Would remove %1 snapshot(s) and %2 stored file(s): %3.',
          report.removedSnapshots.length,
          report.removedObjects,
          formatBytes(report.removedBytes, trans)
        )}
      </p>
      <p>{trans.__('Kept: %1 snapshot(s) a run, an experiment or a pin references.', report.kept.length)}</p>
      {report.young > 0 && (
        <p className="jp-cellflow-GcYoung">
          {trans.__(
            'Also kept: %1 snapshot(s) or file(s) taken in the last hour, which a run starting now may still use. Clean up again later to remove them.',
            report.young
          )}
        </p>
      )}
    </div>
  );
}

export function formatBytes(bytes: number, trans: TranslationBundle): string {
  if (bytes < 1024) {
    return trans.__('%1 B', bytes);
  }
  const units = [trans.__('KB'), trans.__('MB'), trans.__('GB'), trans.__('TB')];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
