/**
 * How a step tells, as its cells end, whether they changed a value it loaded: against the fingerprint the
 * producing step recorded (one walk, at the end), or, for a value with no recorded fingerprint (one holding
 * tensors, functions or instances of the notebook's classes, or saved by an older cellflow), against its own
 * fingerprint of the value as loaded (two walks).
 */
import { fingerprint, fingerprintGraph, portableFingerprint, type ReachedObjects } from './fingerprint.js';

/** What a step keeps of a value as loaded. */
export type LoadedFingerprint =
  | { kind: 'recorded'; fingerprint: string; recheck: () => Promise<string | null> }
  | { kind: 'walked'; fingerprint: string; objects: ReachedObjects };

const nothingReached: ReachedObjects = { has: () => false };

/**
 * `recorded` is the producer's portable fingerprint, if it left one; `recheck` loads the value afresh from its
 * files and gives the portable fingerprint of that copy. It runs only when the live value's fingerprint differs
 * from the record, so a record that disagrees with what loading makes of it (a bug, never a user's doing) can
 * only cost time, never report a write that did not happen.
 */
export function fingerprintAsLoaded(
  value: unknown,
  recorded: string | undefined,
  recheck: () => Promise<unknown>
): LoadedFingerprint {
  if (recorded !== undefined) {
    return {
      kind: 'recorded',
      fingerprint: recorded,
      recheck: async () => portableFingerprint(await recheck())?.fingerprint ?? null
    };
  }
  const graph = fingerprintGraph(value);
  return { kind: 'walked', fingerprint: graph.fingerprint, objects: graph.objects };
}

/**
 * Whether the value the binding holds now (the same object as loaded) differs from the value as loaded, and the
 * objects it reaches (for a recorded fingerprint: as it is now, which for an unchanged value is as loaded).
 */
export async function changedSinceLoad(
  loaded: LoadedFingerprint,
  now: unknown
): Promise<{ changed: boolean; objects: ReachedObjects }> {
  if (loaded.kind === 'walked') return { changed: fingerprint(now) !== loaded.fingerprint, objects: loaded.objects };
  const live = portableFingerprint(now);
  // Holding something known only by identity now (a function, a tensor): the cells put it there.
  if (!live) return { changed: true, objects: nothingReached };
  if (live.fingerprint === loaded.fingerprint) return { changed: false, objects: live.objects };
  // Its files unreadable now: saving it again (as a write) is safe, missing a write would not be.
  const fresh = await loaded.recheck().catch(() => null);
  return { changed: fresh === null || live.fingerprint !== fresh, objects: live.objects };
}
