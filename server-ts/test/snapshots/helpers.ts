import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { realFs, type SnapshotFs } from '../../src/snapshots/index.js';

const made: string[] = [];
// Removed when the test file's process ends (restored copies hold read-only objects' bytes, not the objects).
process.on('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempWorkspace(prefix = 'snap-'): string {
  const dir = mkdtempSync(join(tmpdir(), `cellflow-${prefix}`));
  made.push(dir);
  return dir;
}

/** Writes files (path → text) and dates them an hour back, as files in a workspace usually are (not "racy"). */
export function writeFiles(root: string, files: Record<string, string>, hoursBack = 1): void {
  const when = new Date(Date.now() - hoursBack * 3600_000);
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    utimesSync(full, when, when);
  }
}

/** The real fs, counting which files are opened for reading. */
export function countingFs(): { fs: SnapshotFs; opened: string[] } {
  const opened: string[] = [];
  const fs: SnapshotFs = {
    ...realFs,
    openSync: (path, flags, mode) => {
      if (flags === 'r') opened.push(path);
      return realFs.openSync(path, flags, mode);
    }
  };
  return { fs, opened };
}

/** The real fs with a disk that holds only `budget` more bytes: writes past it fail with ENOSPC. */
export function smallDiskFs(budget: number): SnapshotFs {
  let left = budget;
  return {
    ...realFs,
    writeSync: (fd, buffer, offset, length) => {
      if (length > left) {
        const error = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
        error.code = 'ENOSPC';
        throw error;
      }
      left -= length;
      return realFs.writeSync(fd, buffer, offset, length);
    }
  };
}
