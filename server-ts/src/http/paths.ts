/**
 * Resolves a path sent by the frontend (relative to the Jupyter root, `/`
 * separated, as the JupyterLab contents API names files) to an absolute path
 * inside the root, refusing anything that leads out of it.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { httpError } from './errors.js';

export interface ServerRoot {
  /** The root as configured, made absolute. */
  resolved: string;
  /** The root with symbolic links resolved: what containment is checked against. */
  real: string;
}

export async function openRoot(root: string): Promise<ServerRoot> {
  const resolved = path.resolve(root);
  const real = await realpath(resolved);
  if (!(await stat(real)).isDirectory()) {
    throw new Error(`The cellflow root "${root}" is not a directory.`);
  }
  return { resolved, real };
}

/**
 * Returns the real (symlink-free) absolute path of an existing file inside
 * the root. The lexical check comes first so that a path like
 * `../../etc/passwd` is refused without touching the file system (and without
 * telling the caller whether it exists); the check after `realpath` catches
 * symbolic links that point out of the root.
 */
export async function resolveFileInsideRoot(root: ServerRoot, requested: string): Promise<string> {
  if (requested.includes('\0')) {
    throw httpError.invalidRequest(
      'The path contains a NUL character.',
      'Pass the notebook path as the JupyterLab file browser shows it.'
    );
  }
  if (path.isAbsolute(requested) || path.win32.isAbsolute(requested)) {
    throw httpError.pathOutsideRoot(requested);
  }
  const lexical = path.resolve(root.resolved, requested);
  if (!isInside(root.resolved, lexical)) {
    throw httpError.pathOutsideRoot(requested);
  }

  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    throw fileSystemRefusal(error, requested);
  }
  if (!isInside(root.real, real)) throw httpError.pathOutsideRoot(requested);

  const info = await stat(real).catch((error: unknown) => {
    throw fileSystemRefusal(error, requested);
  });
  if (!info.isFile()) throw httpError.notAFile(requested);
  return real;
}

/** What the file system said, as the client's 4xx: never the server's own path or a 500. */
function fileSystemRefusal(error: unknown, requested: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (isMissing(error)) return httpError.notebookNotFound(requested);
  if (code === 'ELOOP') return httpError.symlinkLoop(requested);
  if (code === 'ENAMETOOLONG') return httpError.pathTooLong();
  if (code === 'EACCES' || code === 'EPERM') return httpError.pathNotReadable(requested);
  return error as Error;
}

/** The path of `absolute` relative to the root, `/`-separated: how the API names files to the client. */
export function relativeToRoot(root: ServerRoot, absolute: string): string {
  const relative = path.relative(root.real, absolute);
  // Never a server path: a file outside the root (it cannot be one a request named) is shown by its name.
  return isInside(root.real, absolute) ? relative.split(path.sep).join('/') : path.basename(absolute);
}

function isInside(directory: string, candidate: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
