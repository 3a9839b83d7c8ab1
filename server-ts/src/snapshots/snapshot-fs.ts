/**
 * The file operations the snapshot store uses, as one object: tests pass a wrapper that fails with ENOSPC
 * after some bytes or counts which files were opened, without touching the real disk's limits.
 */
import * as fs from 'node:fs';

export interface SnapshotFs {
  lstatSync: (path: string, options: { bigint: true }) => fs.BigIntStats;
  readdirSync: (path: string, options: { withFileTypes: true }) => fs.Dirent[];
  readFileSync: (path: string) => Buffer;
  openSync: (path: string, flags: string, mode?: number) => number;
  readSync: (fd: number, buffer: Buffer, offset: number, length: number, position: number | null) => number;
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  fsyncSync: (fd: number) => void;
  closeSync: (fd: number) => void;
  renameSync: (from: string, to: string) => void;
  unlinkSync: (path: string) => void;
  mkdirSync: (path: string, options: { recursive: true; mode?: number }) => string | undefined;
  rmSync: (path: string, options: { recursive: true; force: true }) => void;
  existsSync: (path: string) => boolean;
  chmodSync: (path: string, mode: number) => void;
  utimesSync: (path: string, atime: number, mtime: number) => void;
  symlinkSync: (target: string, path: string) => void;
  readlinkSync: (path: string) => string;
}

export const realFs: SnapshotFs = {
  lstatSync: (path, options) => fs.lstatSync(path, options),
  readdirSync: (path, options) => fs.readdirSync(path, options),
  readFileSync: path => fs.readFileSync(path),
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  readSync: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: fd => fs.fsyncSync(fd),
  closeSync: fd => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: path => fs.unlinkSync(path),
  mkdirSync: (path, options) => fs.mkdirSync(path, options),
  rmSync: (path, options) => fs.rmSync(path, options),
  existsSync: path => fs.existsSync(path),
  chmodSync: (path, mode) => fs.chmodSync(path, mode),
  utimesSync: (path, atime, mtime) => fs.utimesSync(path, atime, mtime),
  symlinkSync: (target, path) => fs.symlinkSync(target, path),
  readlinkSync: path => fs.readlinkSync(path)
};

/** Writes all of `buffer` (writeSync may write less than asked). */
export function writeAll(fsys: SnapshotFs, fd: number, buffer: Buffer, length = buffer.length): void {
  let done = 0;
  while (done < length) done += fsys.writeSync(fd, buffer, done, length - done);
}

/**
 * Writes a whole file under a temporary name and renames it into place: readers see the old file or the new one.
 * `durable` syncs it to the disk first (manifests); a cache need not pay for that.
 */
export function writeFileAtomicSync(
  fsys: SnapshotFs,
  path: string,
  bytes: Buffer,
  tempPath: string,
  durable = true
): void {
  const fd = fsys.openSync(tempPath, 'wx', 0o644);
  try {
    writeAll(fsys, fd, bytes);
    if (durable) fsys.fsyncSync(fd);
  } catch (error) {
    fsys.closeSync(fd);
    removeQuietly(fsys, tempPath);
    throw error;
  }
  fsys.closeSync(fd);
  try {
    fsys.renameSync(tempPath, path);
  } catch (error) {
    removeQuietly(fsys, tempPath);
    throw error;
  }
}

export function removeQuietly(fsys: SnapshotFs, path: string): void {
  try {
    fsys.unlinkSync(path);
  } catch {
    // Already gone, or the disk refuses: the next snapshot sweeps the temp folder.
  }
}
