/**
 * Content hashes for the snapshot store: BLAKE3 (256-bit, cryptographic) through hash-wasm. A content-addressed
 * store trusts "same hash, same bytes" when it skips storing an object, so a hash nobody can make collide on
 * purpose is worth its cost; only new bytes are hashed (the stat cache skips the rest), at a few hundred MB/s.
 */
import { createBLAKE3, type IHasher } from 'hash-wasm';

let hasher: Promise<IHasher> | undefined;

/** One hasher for the process: hash-wasm's instances are reusable after `init()`, and snapshots hash one file at a time. */
export function contentHasher(): Promise<IHasher> {
  hasher ??= createBLAKE3(256);
  return hasher;
}

/** A hash as the store names objects: 64 lower-case hex digits. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

export async function hashBytes(bytes: Uint8Array | string): Promise<string> {
  const h = await contentHasher();
  h.init();
  h.update(bytes);
  return h.digest('hex');
}
