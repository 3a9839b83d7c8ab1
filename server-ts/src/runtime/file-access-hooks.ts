/**
 * Module loader hooks (node:module `register`), run on Node's loader thread: every file an ES module import loads
 * is posted to the step's main thread, which records it as read (file-access.ts). They change nothing they load.
 */
import type { MessagePort } from 'node:worker_threads';

let port: MessagePort | undefined;

export function initialize(data: { port: MessagePort }): void {
  port = data.port;
}

export async function load(
  url: string,
  context: unknown,
  nextLoad: (url: string, context: unknown) => Promise<unknown>
): Promise<unknown> {
  if (url.startsWith('file:')) port?.postMessage(url);
  return nextLoad(url, context);
}
