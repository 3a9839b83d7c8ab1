import { ServerConnection } from '@jupyterlab/services';
import type { Kernel } from '@jupyterlab/services';
import { callAPI } from './request';

/** The kernels "Restore state" writes code for (the backend's `restoreKernels`). */
export type RestoreKernel = 'tslab' | 'deno' | 'jslab' | 'ijavascript';

/** The kernelspec name a notebook runs → the kernel the state code is written for; null for others. */
export function restoreKernelOf(kernelName: string | undefined | null): RestoreKernel | null {
  const name = (kernelName ?? '').toLowerCase();
  if (name === 'tslab') {
    return 'tslab';
  }
  if (name === 'jslab') {
    return 'jslab';
  }
  if (name === 'deno' || name.startsWith('deno')) {
    return 'deno';
  }
  // ijavascript installs its kernelspec as `javascript`.
  if (name === 'javascript' || name === 'ijavascript') {
    return 'ijavascript';
  }
  return null;
}

/** Whether a notebook is one `cellflow restore` wrote (its metadata has `cellflow.restored`). */
export function isRestoredNotebook(metadata: Record<string, unknown> | undefined): boolean {
  const cellflow = metadata?.cellflow as { restored?: unknown } | undefined;
  return typeof cellflow?.restored === 'object' && cellflow.restored !== null;
}

export interface IStateCode {
  code: string;
  restored: string[];
  replayed: { cells: number[]; names: string[] };
  notRestored: { name: string; reason: string }[];
}

/** The code for that kernel, from the backend (through the one request helper). */
export function fetchStateCode(
  path: string,
  kernel: RestoreKernel,
  serverSettings?: ServerConnection.ISettings
): Promise<IStateCode> {
  return callAPI('/api/restore/state-code', 'get', { query: { path, kernel } }, serverSettings) as Promise<IStateCode>;
}

/** Runs the code in the notebook's own kernel; resolves when the kernel finished it, rejects on its error. */
export async function executeInKernel(kernel: Kernel.IKernelConnection, code: string): Promise<void> {
  const future = kernel.requestExecute({ code, silent: false, store_history: false });
  const reply = await future.done;
  const content = reply.content as { status: string; ename?: string; evalue?: string };
  if (content.status !== 'ok') {
    throw new Error(content.status === 'error' ? `${content.ename}: ${content.evalue}` : content.status);
  }
}
