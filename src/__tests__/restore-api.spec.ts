import { ServerConnection } from '@jupyterlab/services';
import { RestoreApi } from '../restore-api';

/** The method and JSON body of what ServerConnection fetches (a Request, or a URL with its init). */
async function requestOf(input: RequestInfo, init?: RequestInit): Promise<{ method: string; body?: any }> {
  const text = typeof input === 'string' ? init?.body : await input.clone().text();
  const method = (typeof input === 'string' ? init?.method : input.method) ?? 'GET';
  return { method, ...(typeof text === 'string' && text.length > 0 ? { body: JSON.parse(text) } : {}) };
}

describe('RestoreApi', () => {
  const requests: { method: string; url: string; body?: unknown }[] = [];
  const answers: Record<string, unknown> = {};
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/base/',
    fetch: (async (input: RequestInfo, init?: RequestInit) => {
      const url = String(typeof input === 'string' ? input : input.url).replace(/[?&]\d+$/, '');
      if (!url.includes('/health')) {
        const { method, body } = await requestOf(input, init);
        requests.push({ method, url, ...(body === undefined ? {} : { body }) });
      }
      const key = Object.keys(answers).find(route => url.includes(route));
      const body = key ? answers[key] : { name: 'cellflow', version: '0', instance: 'i', startedAt: '' };
      return { ok: true, status: 200, statusText: '', text: async () => JSON.stringify(body) } as Response;
    }) as typeof fetch
  });

  beforeEach(() => (requests.length = 0));

  it('posts the restore request as given and answers where the restored notebook is', async () => {
    const restored = {
      folder: 'restored/r1-train',
      notebook: 'restored/r1-train/xor.ipynb',
      runId: 'R1',
      step: 'train',
      values: ['model'],
      replay: { cells: [], names: [] },
      notRestored: []
    };
    answers['/api/restore'] = restored;
    const api = new RestoreApi(settings);
    expect(await api.restore({ path: 'xor.ipynb', run: 'R1', step: 'train' })).toEqual(restored);
    expect(requests).toEqual([
      {
        method: 'POST',
        url: 'http://localhost:8888/base/cellflow/api/restore',
        body: { path: 'xor.ipynb', run: 'R1', step: 'train' }
      }
    ]);
  });

  it("takes the notebook's newest experiment that has a best trial", async () => {
    const experiment = (id: string, bestTrial: number | null) => ({ id, bestTrial });
    answers['/api/experiments'] = {
      experiments: [experiment('E3', null), experiment('E2', 1), experiment('E1', 0)],
      unreadable: []
    };
    const api = new RestoreApi(settings);
    expect((await api.latestWithBestTrial('dir/xor.ipynb'))?.id).toBe('E2');
    expect(requests[0].url).toBe('http://localhost:8888/base/cellflow/api/experiments?path=dir%2Fxor.ipynb');
    answers['/api/experiments'] = { experiments: [experiment('E3', null)], unreadable: [] };
    expect(await api.latestWithBestTrial('dir/xor.ipynb')).toBeNull();
  });
});
