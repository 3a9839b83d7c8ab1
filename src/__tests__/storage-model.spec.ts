import { ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import type { GcReport, SnapshotList } from '../api/types';
import { StorageApi } from '../storage/storage-api';
import { StorageModel } from '../storage/storage-model';
import { ICellflow } from '../tokens';

/** The method and JSON body of what ServerConnection fetches (a Request, or a URL with its init). */
async function requestOf(input: RequestInfo, init?: RequestInit): Promise<{ method: string; body?: any }> {
  const text = typeof input === 'string' ? init?.body : await input.clone().text();
  const method = (typeof input === 'string' ? init?.method : input.method) ?? 'GET';
  return { method, ...(typeof text === 'string' && text.length > 0 ? { body: JSON.parse(text) } : {}) };
}

/** A backend answering the snapshot routes from a small in-memory store, recording each request. */
function fakeBackend() {
  const requests: { method: string; url: string; body?: unknown }[] = [];
  const store: SnapshotList = {
    snapshots: [
      {
        id: 'a'.repeat(64),
        createdAt: '2026-12-04T10:00:00Z',
        files: 3,
        bytesTotal: 30,
        pinned: true,
        referencedBy: []
      },
      {
        id: 'b'.repeat(64),
        createdAt: '2026-12-04T09:00:00Z',
        files: 2,
        bytesTotal: 20,
        pinned: false,
        referencedBy: [{ kind: 'run', id: '01JRUN' }]
      },
      {
        id: 'c'.repeat(64),
        createdAt: '2026-12-04T08:00:00Z',
        files: 1,
        bytesTotal: 10,
        pinned: false,
        referencedBy: []
      }
    ],
    store: { bytes: 5 * 1024 * 1024, objects: 6 }
  };
  let busy = false;
  const reply = (status: number, body: unknown) =>
    ({ ok: status < 400, status, statusText: '', text: async () => JSON.stringify(body) }) as Response;
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/base/',
    fetch: (async (input: RequestInfo, init?: RequestInit) => {
      const url = String(typeof input === 'string' ? input : input.url).replace(/[?&]\d+$/, '');
      const { method, body } = await requestOf(input, init);
      if (!url.includes('/health')) {
        requests.push({ method, url, ...(body === undefined ? {} : { body }) });
      }
      if (url.includes('/api/health')) {
        return reply(200, { name: 'cellflow', version: '0', instance: 'i', startedAt: '' });
      }
      if (url.includes('/api/snapshots')) {
        return reply(200, store);
      }
      if (busy) {
        return reply(409, {
          error: { code: 'snapshot-store-busy', message: 'A snapshot is being taken.', hint: 'Try again in a moment.' }
        });
      }
      const removed = store.snapshots.filter(s => !s.pinned && s.referencedBy.length === 0);
      const report: GcReport = {
        dryRun: body.dryRun,
        kept: store.snapshots.filter(s => !removed.includes(s)).map(s => s.id),
        removedSnapshots: removed.map(s => s.id),
        removedObjects: removed.length,
        removedBytes: 1024,
        young: 1
      };
      if (!body.dryRun) {
        store.snapshots = store.snapshots.filter(s => !removed.includes(s));
        store.store = { bytes: store.store.bytes - 1024, objects: store.store.objects - removed.length };
      }
      return reply(200, report);
    }) as typeof fetch
  });
  return {
    api: new StorageApi(settings),
    requests,
    setBusy: (value: boolean) => (busy = value)
  };
}

function fakeCellflow(path: string | null) {
  const cellflow = { notebookPath: path, stateChanged: new Signal({}) };
  return {
    cellflow: cellflow as unknown as ICellflow,
    open: (next: string | null) => {
      cellflow.notebookPath = next;
      cellflow.stateChanged.emit(undefined);
    }
  };
}

async function settled(model: StorageModel): Promise<void> {
  while (model.busy) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
}

describe('StorageModel', () => {
  it("reads the active notebook's store, and reads again when another notebook becomes active", async () => {
    const backend = fakeBackend();
    const { cellflow, open } = fakeCellflow('dir/xor.ipynb');
    const model = new StorageModel({ cellflow, api: backend.api });
    let changes = 0;
    model.stateChanged.connect(() => changes++);
    await settled(model);
    expect(model.usage).toEqual({ snapshots: 3, pinned: 1, unreferenced: 1, bytes: 5 * 1024 * 1024, objects: 6 });
    expect(backend.requests).toEqual([
      { method: 'GET', url: 'http://localhost:8888/base/cellflow/api/snapshots?path=dir%2Fxor.ipynb' }
    ]);
    expect(changes).toBeGreaterThan(0);

    open('other/nb.ipynb');
    expect(model.usage).toBeNull();
    await settled(model);
    expect(backend.requests[1].url).toBe('http://localhost:8888/base/cellflow/api/snapshots?path=other%2Fnb.ipynb');
    open(null);
    expect(model.notebookPath).toBeNull();
    model.dispose();
  });

  it('previews gc with a dry run, then collects and reads the store again', async () => {
    const backend = fakeBackend();
    const model = new StorageModel({ cellflow: fakeCellflow('xor.ipynb').cellflow, api: backend.api });
    await settled(model);
    const preview = await model.preview();
    expect(preview?.dryRun).toBe(true);
    expect(preview?.removedSnapshots).toEqual(['c'.repeat(64)]);
    expect(model.usage?.snapshots).toBe(3);

    const report = await model.collect();
    expect(report?.dryRun).toBe(false);
    expect(model.usage).toEqual({
      snapshots: 2,
      pinned: 1,
      unreferenced: 0,
      bytes: 5 * 1024 * 1024 - 1024,
      objects: 5
    });
    expect(backend.requests.map(r => [r.method, r.url.replace(/^.*\/api\//, ''), r.body])).toEqual([
      ['GET', 'snapshots?path=xor.ipynb', undefined],
      ['POST', 'gc', { path: 'xor.ipynb', dryRun: true }],
      ['POST', 'gc', { path: 'xor.ipynb', dryRun: false }],
      ['GET', 'snapshots?path=xor.ipynb', undefined]
    ]);
    model.dispose();
  });

  it('says why gc did not run when the store is busy, and removes nothing', async () => {
    const backend = fakeBackend();
    const model = new StorageModel({ cellflow: fakeCellflow('xor.ipynb').cellflow, api: backend.api });
    await settled(model);
    backend.setBusy(true);
    expect(await model.collect()).toBeNull();
    expect(model.error).toEqual({
      code: 'snapshot-store-busy',
      message: 'A snapshot is being taken.',
      hint: 'Try again in a moment.'
    });
    expect(model.usage?.snapshots).toBe(3);
    backend.setBusy(false);
    await model.refresh();
    expect(model.error).toBeNull();
    model.dispose();
  });
});
