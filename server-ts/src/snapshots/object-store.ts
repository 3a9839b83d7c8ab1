/**
 * File contents by hash. A file is copied into `tmp/` while it is hashed (one read, and the bytes stored are
 * exactly the bytes hashed even if the file changes meanwhile), then renamed to `objects/<2 hex>/<hash>`, or
 * dropped when that object is already there. Objects are never changed after the rename.
 */
import { dirname } from 'node:path';
import type { IHasher } from 'hash-wasm';
import { removeQuietly, writeAll, type SnapshotFs } from './snapshot-fs.js';
import type { StoreLayout } from './store-layout.js';

const CHUNK = 1 << 20;

export interface Stored {
  hash: string;
  /** Bytes this call added to the store (0 when the object was there already). */
  bytesNew: number;
  size: number;
}

export class ObjectStore {
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private readonly madeDirs = new Set<string>();

  constructor(
    private readonly fsys: SnapshotFs,
    private readonly layout: StoreLayout,
    private readonly hasher: IHasher
  ) {}

  has(hash: string): boolean {
    return this.fsys.existsSync(this.layout.object(hash));
  }

  /** Copies `source` into the store. Errors (ENOSPC among them) leave no temp file behind. */
  put(source: string): Stored {
    const temp = this.layout.temp('object');
    const { hash, size } = this.copyHashing(source, temp);
    const target = this.layout.object(hash);
    if (this.fsys.existsSync(target)) {
      removeQuietly(this.fsys, temp);
      return { hash, bytesNew: 0, size };
    }
    try {
      const dir = dirname(target);
      if (!this.madeDirs.has(dir)) {
        this.fsys.mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      this.fsys.chmodSync(temp, 0o444);
      this.fsys.renameSync(temp, target);
    } catch (error) {
      removeQuietly(this.fsys, temp);
      throw error;
    }
    return { hash, bytesNew: size, size };
  }

  /**
   * Copies object `hash` to `target` (a temporary path the caller renames) and says whether the bytes still
   * hash to their name; a mismatch or a missing object leaves no file at `target`.
   */
  copyOut(hash: string, target: string): { ok: true } | { ok: false; why: string } {
    const source = this.layout.object(hash);
    if (!this.fsys.existsSync(source)) return { ok: false, why: 'the object is missing from the store' };
    const copied = this.copyHashing(source, target);
    if (copied.hash !== hash) {
      removeQuietly(this.fsys, target);
      return { ok: false, why: `its bytes hash to ${copied.hash.slice(0, 12)}…, not ${hash.slice(0, 12)}…` };
    }
    return { ok: true };
  }

  private copyHashing(source: string, target: string): { hash: string; size: number } {
    const { fsys, buffer, hasher } = this;
    const input = fsys.openSync(source, 'r');
    let output: number | undefined;
    try {
      output = fsys.openSync(target, 'wx', 0o600);
      hasher.init();
      let size = 0;
      for (;;) {
        const n = fsys.readSync(input, buffer, 0, CHUNK, null);
        if (n === 0) break;
        hasher.update(n === CHUNK ? buffer : buffer.subarray(0, n));
        writeAll(fsys, output, buffer, n);
        size += n;
      }
      fsys.closeSync(output);
      output = undefined;
      return { hash: hasher.digest('hex'), size };
    } catch (error) {
      if (output !== undefined) fsys.closeSync(output);
      removeQuietly(fsys, target);
      throw error;
    } finally {
      fsys.closeSync(input);
    }
  }
}
