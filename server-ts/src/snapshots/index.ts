/** Workspace snapshots: a content-addressed store under `<workspace>/.cellflow/snapshots/`. */
export { snapshotWorkspace, type SnapshotOptions, type SnapshotResult } from './take-snapshot.js';
export { materialize, type MaterializeResult } from './materialize.js';
export { listSnapshots, pin, storeUsage, unpin, type SnapshotSummary } from './catalog.js';
export { snapshotReferences, type SnapshotReference } from './references.js';
export { gc, type GcOptions, type GcReport } from './gc.js';
export { realFs, type SnapshotFs } from './snapshot-fs.js';
export { checkout, type CheckoutResult } from './checkout.js';
