/**
 * `node --import` entry of a step process in a frozen run: file access is tracked from before the step program's
 * own imports load (file-access.ts), and the modules they load are reported by loader hooks (file-access-hooks.ts).
 */
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
import { noteTouch, trackFileAccess, WORKSPACE_COPY_ENV } from './file-access.js';

if (process.env[WORKSPACE_COPY_ENV]) {
  trackFileAccess();
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url: string) => noteTouch(new URL(url), 'read'));
  port1.unref();
  register('./file-access-hooks.js', import.meta.url, { data: { port: port2 }, transferList: [port2] });
}
