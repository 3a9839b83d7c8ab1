/**
 * The Unix socket's directory is what keeps other users out (a socket file's
 * own mode is not honoured everywhere), so it must be ours and mode 0700;
 * a missing one is created so.
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { serveError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';

export async function preparePrivateSocket(socketPath: string): Promise<void> {
  const dir = path.dirname(path.resolve(socketPath));
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new CellflowError(
        serveError.socketDirNotPrivate(dir, `it cannot be created (${(error as Error).message})`)
      );
    }
  }
  // lstat: a symbolic link to someone else's directory is not private, whatever it points at.
  const info = await lstat(dir);
  if (!info.isDirectory()) throw new CellflowError(serveError.socketDirNotPrivate(dir, 'it is not a directory'));
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new CellflowError(serveError.socketDirNotPrivate(dir, `it belongs to user id ${info.uid}, not to you`));
  }
  if ((info.mode & 0o077) !== 0) {
    throw new CellflowError(
      serveError.socketDirNotPrivate(dir, `its mode is ${(info.mode & 0o777).toString(8)}, others may enter it`)
    );
  }
  // A socket left by a server that was killed would make listen() fail with EADDRINUSE.
  const existing = await lstat(socketPath).catch(() => undefined);
  if (existing?.isSocket()) await rm(socketPath);
}
