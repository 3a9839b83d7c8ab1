/**
 * What the Storage section shows for the active notebook's folder: how many snapshots its store holds and the bytes
 * it takes, and garbage collection (a dry run to show, then the real one). Every change emits `stateChanged`.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import type { GcReport, SnapshotList } from '../api/types';
import { describeFailure } from '../server';
import { Cellflow, ICellflow } from '../tokens';
import { StorageApi } from './storage-api';

export interface IStorageUsage {
  snapshots: number;
  pinned: number;
  /** Snapshots no run or experiment record names (gc removes them once they are an hour old, unless pinned). */
  unreferenced: number;
  bytes: number;
  objects: number;
}

export class StorageModel extends VDomModel {
  constructor(options: StorageModel.IOptions) {
    super();
    this.cellflow = options.cellflow;
    this._api = options.api;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.cellflow.stateChanged.connect(this._onCellflowChanged, this);
    this._onCellflowChanged();
  }

  readonly cellflow: ICellflow;

  /** The notebook whose folder's store is shown; null when no notebook is open. */
  get notebookPath(): string | null {
    return this._path;
  }

  /** The store as last read; null before the first read (or with no notebook). */
  get usage(): IStorageUsage | null {
    return this._usage;
  }

  get error(): Cellflow.IError | null {
    return this._error;
  }

  /** True while the store is read or collected. */
  get busy(): boolean {
    return this._busy > 0;
  }

  /** Reads the store again. */
  async refresh(): Promise<void> {
    const path = this._path;
    if (path === null) {
      return;
    }
    await this._work(async () => {
      const list = await this._api.list(path);
      if (path === this._path) {
        this._usage = usageOf(list);
      }
    });
  }

  /** What gc would remove now; null when it could not be asked (the error says why). */
  async preview(): Promise<GcReport | null> {
    return this._gc(true);
  }

  /** Runs gc, then reads the store again; null when it failed (the error says why: a busy store, say). */
  async collect(): Promise<GcReport | null> {
    const report = await this._gc(false);
    if (report) {
      await this.refresh();
    }
    return report;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.cellflow.stateChanged.disconnect(this._onCellflowChanged, this);
    super.dispose();
  }

  private async _gc(dryRun: boolean): Promise<GcReport | null> {
    const path = this._path;
    if (path === null) {
      return null;
    }
    let report: GcReport | null = null;
    await this._work(async () => {
      report = await this._api.gc(path, dryRun);
    });
    return report;
  }

  private async _work(task: () => Promise<void>): Promise<void> {
    this._busy++;
    this._error = null;
    this.stateChanged.emit();
    try {
      await task();
    } catch (error) {
      this._error = describeFailure(error, this._trans);
    } finally {
      this._busy--;
      if (!this.isDisposed) {
        this.stateChanged.emit();
      }
    }
  }

  private _onCellflowChanged(): void {
    const path = this.cellflow.notebookPath;
    if (path === this._path) {
      return;
    }
    this._path = path;
    this._usage = null;
    this._error = null;
    this.stateChanged.emit();
    void this.refresh();
  }

  private _api: StorageApi;
  private _trans: TranslationBundle;
  private _path: string | null = null;
  private _usage: IStorageUsage | null = null;
  private _error: Cellflow.IError | null = null;
  private _busy = 0;
}

export namespace StorageModel {
  export interface IOptions {
    cellflow: ICellflow;
    api: StorageApi;
    translator?: ITranslator;
  }
}

export function usageOf(list: SnapshotList): IStorageUsage {
  const good = list.snapshots.filter(snapshot => !snapshot.damaged);
  return {
    snapshots: good.length,
    pinned: good.filter(snapshot => snapshot.pinned).length,
    unreferenced: good.filter(snapshot => !snapshot.pinned && snapshot.referencedBy.length === 0).length,
    bytes: list.store.bytes,
    objects: list.store.objects
  };
}
