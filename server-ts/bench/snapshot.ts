/**
 * A snapshot of a 1 GB workspace of 10,000 files (~100 KB each) after 1 MB of it changed (10 files), against
 * stat-ing every file once (the least any change detection does). `CELLFLOW_BENCH_SNAPSHOT_FILES` makes the
 * workspace smaller for a quick look; the targets are for the full size.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotWorkspace } from '../src/snapshots/index.js';

const FILE_BYTES = 100 * 1024;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function seconds<T>(run: () => T): [T, number] {
  const t = performance.now();
  const value = run();
  return [value, (performance.now() - t) / 1000];
}

async function secondsAsync<T>(run: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await run();
  return [value, (performance.now() - t) / 1000];
}

function statAll(dir: string): number {
  let n = 0;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.name === '.cellflow') continue; // the store itself
    if (d.isDirectory()) n += statAll(path);
    else {
      lstatSync(path, { bigint: true });
      n++;
    }
  }
  return n;
}

export async function benchSnapshot() {
  const files = Number(process.env.CELLFLOW_BENCH_SNAPSHOT_FILES ?? 10_000);
  const changed = Math.min(10, files);
  // Outside the repository: a gigabyte does not belong in the checkout, and tmp is usually the same disk anyway.
  const root = mkdtempSync(join(tmpdir(), 'cellflow-bench-snapshot-'));
  try {
    // 100 folders of 100 files, each its own random bytes (identical files would be stored once).
    // Dated an hour back, as a workspace's files are: the stat cache does not trust files written seconds ago.
    const hourAgo = new Date(Date.now() - 3600_000);
    for (let i = 0; i < files; i++) {
      const dir = join(root, `d${String(Math.floor(i / 100)).padStart(3, '0')}`);
      if (i % 100 === 0) mkdirSync(dir, { recursive: true });
      const path = join(dir, `f${i}.bin`);
      writeFileSync(path, randomBytes(FILE_BYTES));
      utimesSync(path, hourAgo, hourAgo);
    }
    const [first, firstSeconds] = await secondsAsync(() => snapshotWorkspace(root));
    for (let i = 0; i < changed; i++) {
      const k = Math.floor((i * files) / changed);
      writeFileSync(
        join(root, `d${String(Math.floor(k / 100)).padStart(3, '0')}`, `f${k}.bin`),
        randomBytes(FILE_BYTES)
      );
    }
    const [statted, statSeconds] = seconds(() => statAll(root));
    const cpuBefore = process.cpuUsage();
    const [second, secondSeconds] = await secondsAsync(() => snapshotWorkspace(root));
    const cpu = process.cpuUsage(cpuBefore);
    return {
      what: `a workspace of ${files} files of 100 KB (${round((files * FILE_BYTES) / 1e9, 2)} GB), ${changed} files (${round((changed * FILE_BYTES) / 1e6, 2)} MB) changed since the last snapshot`,
      files: statted,
      firstSnapshotSeconds: round(firstSeconds),
      secondSnapshotSeconds: round(secondSeconds),
      secondSnapshotTargetSeconds: 0.5,
      // CPU time (user + system) of the same snapshot: what it costs when other processes share the cores.
      secondSnapshotCpuSeconds: round((cpu.user + cpu.system) / 1e6),
      secondBytesNew: second.bytesNew,
      secondManifestBytes: second.manifestBytes,
      secondBytesNewTarget: 2 * 1024 * 1024,
      statCacheHits: second.statCacheHits,
      statAllFilesSeconds: round(statSeconds),
      secondSnapshotVsStatAllRatio: round(secondSeconds / statSeconds),
      firstBytesNew: first.bytesNew
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
