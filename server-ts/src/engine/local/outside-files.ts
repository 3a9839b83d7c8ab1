/**
 * Files a step touched outside the run's frozen copy (excluded paths linked to the live workspace, paths above it,
 * absolute paths): no snapshot holds them, so a cached result stands only while each is as the step left it, and a
 * step that saw one change while it ran is not cached at all (which version it read is unknown).
 */
import { signatureOf, type FileAccessReport, type OutsideTouch } from '../../runtime/file-access.js';

/** The first file that is no longer what the cached step left (its result would be stale), if any. */
export function changedSinceCached(files: FileAccessReport | undefined): OutsideTouch | undefined {
  return files?.outside.find(touch => signatureOf(touch.path, touch.how) !== touch.last);
}

/** A file the step only read that changed between its first read and its end, if any. */
export function changedWhileRunning(files: FileAccessReport | undefined): OutsideTouch | undefined {
  return files?.outside.find(touch => touch.how !== 'write' && touch.first !== touch.last);
}
