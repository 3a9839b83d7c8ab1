/**
 * File helpers for saved values: write from existing buffers in bounded
 * slices (no concatenation, no copies), read into one exactly-sized
 * ArrayBuffer (so typed arrays can view it directly at offset 0).
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Bytes per write/read call: large enough to be fast, small enough for any OS. */
const ioSlice = 8 * 1024 * 1024;

/** A temporary sibling name; the leading dot and `.tmp` mark it as unfinished. */
export function tempFileFor(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempFileOf(file: string, name: string): boolean {
  return file.startsWith(`.${name}.`) && file.endsWith('.tmp');
}

/** Writes the chunks one after another into `file` (created or truncated). */
export async function writeChunks(file: string, chunks: readonly Uint8Array[]): Promise<number> {
  const handle = await open(file, 'w');
  let total = 0;
  try {
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const length = Math.min(chunk.byteLength - offset, ioSlice);
        const { bytesWritten } = await handle.write(chunk, offset, length);
        offset += bytesWritten;
      }
      total += chunk.byteLength;
    }
  } finally {
    await handle.close();
  }
  return total;
}

/** Reads a file that must hold exactly `bytes` bytes; returns undefined otherwise. */
export async function readExactly(file: string, bytes: number): Promise<ArrayBuffer | undefined> {
  const handle = await open(file, 'r');
  try {
    if ((await handle.stat()).size !== bytes) return undefined;
    const buffer = new ArrayBuffer(bytes);
    const view = new Uint8Array(buffer);
    let offset = 0;
    while (offset < bytes) {
      const length = Math.min(bytes - offset, ioSlice);
      const { bytesRead } = await handle.read(view, offset, length, offset);
      if (bytesRead === 0) return undefined; // shrank while reading
      offset += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

export async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
