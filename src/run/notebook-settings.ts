/**
 * The notebook's pipeline settings as the sidebar edits them. Read as the backend reads them
 * (server-ts/src/annotations/settings.ts): Kale's `metadata.kubeflow_notebook` overlaid by cellflow's own
 * `metadata.cellflow`, `base_image` standing in for `docker_image`. Written only into `metadata.cellflow`, so a Kale
 * notebook keeps its own key unchanged. `enabled`, `engine` and `concurrency` are cellflow's alone.
 */

export type EngineKind = 'local' | 'kubernetes';

export type NotebookRunSettings = {
  /** Whether cellflow compiles and runs this notebook (absent: yes). */
  enabled: boolean;
  experiment_name: string;
  pipeline_name: string;
  pipeline_description: string;
  docker_image: string;
  /** null: the default engine of the user's settings. */
  engine: EngineKind | null;
  /** null: the default concurrency of the user's settings. */
  concurrency: number | null;
};

type TextField = 'experiment_name' | 'pipeline_name' | 'pipeline_description' | 'docker_image';

type Json = Record<string, unknown>;

export function readRunSettings(kale: unknown, cellflow: unknown): NotebookRunSettings {
  const merged: Json = { ...asRecord(kale), ...asRecord(cellflow) };
  if (merged.docker_image === undefined && typeof merged.base_image === 'string') {
    merged.docker_image = merged.base_image;
  }
  const text = (field: TextField) => (typeof merged[field] === 'string' ? merged[field] : '');
  const concurrency = merged.concurrency;
  return {
    enabled: merged.enabled !== false,
    experiment_name: text('experiment_name'),
    pipeline_name: text('pipeline_name'),
    pipeline_description: text('pipeline_description'),
    docker_image: text('docker_image'),
    engine: merged.engine === 'local' || merged.engine === 'kubernetes' ? merged.engine : null,
    concurrency:
      typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : null
  };
}

/**
 * The new `metadata.cellflow`: `change` written over what it held (other fields kept). A null engine or
 * concurrency, `enabled: true`, and an empty text Kale's key does not set are removed rather than stored, so the
 * notebook reads as it would without the sidebar. An empty text over Kale's value is stored: the backend reads
 * `''` as unset, so it hides Kale's value without changing Kale's key.
 */
export function writeRunSettings(kale: unknown, cellflow: unknown, change: Partial<NotebookRunSettings>): Json {
  const next: Json = { ...asRecord(cellflow) };
  const kaleSettings = asRecord(kale);
  for (const [field, value] of Object.entries(change)) {
    const kaleHasIt = typeof kaleSettings[field] === 'string' && kaleSettings[field] !== '';
    const unset = value === null || (value === '' && !kaleHasIt) || (field === 'enabled' && value === true);
    if (unset) {
      delete next[field];
    } else {
      next[field] = value;
    }
  }
  return next;
}

function asRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
