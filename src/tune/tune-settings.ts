/**
 * The notebook's tuning settings, read as the backend reads `katib_metadata` (server-ts/src/annotations/settings.ts:
 * Kale's `metadata.kubeflow_notebook` overlaid by `metadata.cellflow`) and written only into `metadata.cellflow`, as
 * the run settings are (run/notebook-settings.ts), so a Kale notebook keeps its own key unchanged. The switch is
 * Kale's `katib_run`.
 */
import type { IKatibMetadata } from './katib-spec';

type Json = Record<string, unknown>;

export interface INotebookTuneSettings {
  /** Kale's `katib_run`: whether the notebook is tuned (absent: no). */
  enabled: boolean;
  /** The spec as written (not checked); null when there is none. */
  katibMetadata: Json | null;
}

export function readTuneSettings(kale: unknown, cellflow: unknown): INotebookTuneSettings {
  const merged: Json = { ...asRecord(kale), ...asRecord(cellflow) };
  const spec = merged.katib_metadata;
  return {
    enabled: merged.katib_run === true,
    katibMetadata: typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Json) : null
  };
}

/**
 * The new `metadata.cellflow`: the switch and, when given, the spec written over what it held (other fields kept).
 * Turning tuning off over a Kale notebook that has `katib_run: true` stores `false`; otherwise off is removed.
 */
export function writeTuneSettings(
  kale: unknown,
  cellflow: unknown,
  change: { enabled?: boolean; katibMetadata?: IKatibMetadata }
): Json {
  const next: Json = { ...asRecord(cellflow) };
  if (change.enabled !== undefined) {
    if (change.enabled) {
      next.katib_run = true;
    } else if (asRecord(kale).katib_run === true) {
      next.katib_run = false;
    } else {
      delete next.katib_run;
    }
  }
  if (change.katibMetadata !== undefined) {
    // A plain JSON copy: the notebook model stores what it is given.
    next.katib_metadata = JSON.parse(JSON.stringify(change.katibMetadata));
  }
  return next;
}

function asRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
