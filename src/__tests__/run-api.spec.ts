import { ServerConnection } from '@jupyterlab/services';
import { RunApi } from '../run/run-api';

const settings = (token: string) =>
  ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/lab-base/', token });

describe('RunApi URLs', () => {
  it('puts the event stream under the proxy’s cellflow path, with the notebook and Jupyter’s token', () => {
    const api = new RunApi(settings('secret'));
    expect(api.eventsUrl('01J/X', 'dir/xor.ipynb')).toBe(
      'http://localhost:8888/lab-base/cellflow/api/runs/01J%2FX/events?path=dir%2Fxor.ipynb&token=secret'
    );
  });

  it('encodes each segment of an artifact path on its own and sends no empty token', () => {
    const api = new RunApi(settings(''));
    expect(api.artifactUrl('R1', 'steps/scatter_plot/artifacts/a b#.svg')).toBe(
      'http://localhost:8888/lab-base/cellflow/api/runs/R1/artifacts/steps/scatter_plot/artifacts/a%20b%23.svg'
    );
  });
});

describe('RunApi requests', () => {
  const answer = (body: unknown, status = 200) =>
    ({
      ok: status < 400,
      status,
      statusText: '',
      text: async () => JSON.stringify(body)
    }) as Response;

  afterEach(() => jest.restoreAllMocks());

  it('lists a notebook’s runs with its path in the query and cancels with POST and a JSON body', async () => {
    const seen: { url: string; method?: string; body?: unknown }[] = [];
    jest.spyOn(ServerConnection, 'makeRequest').mockImplementation(async (url, init) => {
      seen.push({ url, method: init.method, ...(init.body === undefined ? {} : { body: init.body }) });
      return url.includes('/cancel') ? answer({ cancelled: true }, 202) : answer({ runs: [] });
    });
    const api = new RunApi(settings(''));
    expect(await api.list('dir/xor.ipynb')).toEqual([]);
    expect(await api.cancel('R1', 'dir/xor.ipynb')).toEqual({ cancelled: true });
    expect(seen[0]).toEqual({
      url: 'http://localhost:8888/lab-base/cellflow/api/runs?path=dir%2Fxor.ipynb',
      method: 'GET'
    });
    expect(seen.find(request => request.url.includes('/cancel'))).toEqual({
      url: 'http://localhost:8888/lab-base/cellflow/api/runs/R1/cancel?path=dir%2Fxor.ipynb',
      method: 'POST',
      // ServerConnection marks every request JSON; the server refuses an empty JSON body.
      body: '{}'
    });
  });

  it('turns a coded refusal into an error with its code and hint', async () => {
    jest
      .spyOn(ServerConnection, 'makeRequest')
      .mockResolvedValue(
        answer({ error: { code: 'unknown-run', message: 'There is no run R9.', hint: 'List the runs.' } }, 404)
      );
    await expect(new RunApi(settings('')).get('R9')).rejects.toMatchObject({
      code: 'unknown-run',
      message: 'There is no run R9.',
      hint: 'List the runs.'
    });
  });
});
