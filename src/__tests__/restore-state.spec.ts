import { ServerConnection } from '@jupyterlab/services';
import { executeInKernel, fetchStateCode, isRestoredNotebook, restoreKernelOf } from '../restore-state';

describe('restoreKernelOf', () => {
  it('maps kernelspec names to the kernels the backend writes code for', () => {
    expect(restoreKernelOf('tslab')).toBe('tslab');
    expect(restoreKernelOf('jslab')).toBe('jslab');
    expect(restoreKernelOf('deno')).toBe('deno');
    expect(restoreKernelOf('Deno')).toBe('deno');
    expect(restoreKernelOf('javascript')).toBe('ijavascript');
    expect(restoreKernelOf('python3')).toBeNull();
    expect(restoreKernelOf(undefined)).toBeNull();
  });

  it('knows a restored notebook by its metadata', () => {
    expect(isRestoredNotebook({ cellflow: { restored: { runId: 'r', step: 's' } } })).toBe(true);
    expect(isRestoredNotebook({ cellflow: {} })).toBe(false);
    expect(isRestoredNotebook(undefined)).toBe(false);
  });
});

describe('fetchStateCode and executeInKernel', () => {
  it('asks GET restore/state-code with the notebook and kernel under the proxy path', async () => {
    const calls: string[] = [];
    const body = { code: 'let a: any = 1;', restored: ['a'], replayed: { cells: [], names: [] }, notRestored: [] };
    const settings = ServerConnection.makeSettings({
      baseUrl: 'http://localhost:8888/base/',
      fetch: (async (input: RequestInfo, init?: RequestInit) => {
        calls.push(`${init?.method ?? 'GET'} ${String(typeof input === 'string' ? input : input.url)}`);
        return { ok: true, status: 200, statusText: '', text: async () => JSON.stringify(body) } as Response;
      }) as typeof fetch
    });
    const answer = await fetchStateCode('restored/x y/nb.ipynb', 'deno', settings);
    expect(answer).toEqual(body);
    // ServerConnection appends a cache-busting number; the backend watch may check health after it.
    expect(calls[0]?.replace(/&\d+$/, '')).toBe(
      'GET http://localhost:8888/base/cellflow/api/restore/state-code?path=restored%2Fx+y%2Fnb.ipynb&kernel=deno'
    );
  });

  it("runs the code in the kernel and fails with the kernel's error", async () => {
    const executed: string[] = [];
    const kernel = (status: string) =>
      ({
        requestExecute: ({ code }: { code: string }) => {
          executed.push(code);
          return { done: Promise.resolve({ content: { status, ename: 'TypeError', evalue: 'boom' } }) };
        }
      }) as never;
    await executeInKernel(kernel('ok'), 'let a = 1;');
    expect(executed).toEqual(['let a = 1;']);
    await expect(executeInKernel(kernel('error'), 'x')).rejects.toThrow('TypeError: boom');
  });
});
