/**
 * Notebook-level settings: Kale's `metadata.kubeflow_notebook`, overlaid by
 * cellflow's own `metadata.cellflow` (same field names where the meaning is
 * the same), so a Kale notebook opens unchanged.
 */
import type { NotebookSettings } from '../ir.js';
import type { NotebookJson } from '../notebook/nbformat.js';

const STRING_FIELDS = ['experiment_name', 'pipeline_name', 'pipeline_description', 'docker_image'] as const;

export function readNotebookSettings(notebook: NotebookJson): NotebookSettings {
  const kale = asRecord(notebook.metadata.kubeflow_notebook);
  const ours = asRecord(notebook.metadata.cellflow);
  const merged: Record<string, unknown> = { ...kale, ...ours };
  // Kale calls the image `docker_image`; some versions wrote `base_image`.
  if (merged.docker_image === undefined && typeof merged.base_image === 'string')
    merged.docker_image = merged.base_image;

  const settings: NotebookSettings = {};
  for (const field of STRING_FIELDS) {
    if (typeof merged[field] === 'string' && merged[field] !== '') settings[field] = merged[field] as string;
  }
  if (Array.isArray(merged.volumes)) settings.volumes = merged.volumes;
  if (typeof merged.katib_metadata === 'object' && merged.katib_metadata !== null) {
    settings.katib_metadata = merged.katib_metadata as Record<string, unknown>;
  }
  if (Array.isArray(merged.steps_defaults)) {
    settings.steps_defaults = merged.steps_defaults.filter((s): s is string => typeof s === 'string');
  }
  if (typeof merged.enable_caching === 'boolean') settings.enable_caching = merged.enable_caching;
  return settings;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
