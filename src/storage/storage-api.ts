/** The snapshot store's routes of the backend (`cellflow snapshots`, `cellflow gc`), each one call of request.ts. */
import { ServerConnection } from '@jupyterlab/services';
import type { GcReport, SnapshotList } from '../api/types';
import { callAPI } from '../request';

export class StorageApi {
  constructor(readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** The snapshots in the store of the notebook's folder, and the bytes the store takes. */
  list(notebookPath: string): Promise<SnapshotList> {
    return callAPI('/api/snapshots', 'get', { query: { path: notebookPath } }, this.serverSettings);
  }

  /** Removes what nothing references (`dryRun`: only says what it would remove). */
  gc(notebookPath: string, dryRun: boolean): Promise<GcReport> {
    return callAPI('/api/gc', 'post', { body: { path: notebookPath, dryRun } }, this.serverSettings);
  }
}
