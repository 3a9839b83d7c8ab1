/**
 * tfjs layers models, and what can be reached through one. A model is saved
 * with tfjs's own serializer (topology, weights, and optimizer weights when it
 * is compiled) plus the optimizer's accumulator variables as they are (Adam's
 * accBeta1/accBeta2: tfjs recomputes them with pow() on reload, an ulp off
 * from the product training made), so a loaded model trains on exactly as the
 * original would. Its layers (nested models' too), its optimizer and its
 * weight variables, when the data holds them as well, are saved as
 * references into the model (`model-part`), so `model.layers[0] === layer`
 * holds after loading. A layer or optimizer without its model is refused.
 */
import { markerKey, type BytesRef, type Marker } from '../skeleton.js';
import {
  captureModelArtifacts,
  isLayersModelLike,
  isVariableLike,
  mayBeTfValue,
  restoreLayersModel,
  weightChunks,
  type LayersModelLike,
  type ModelArtifactsLike,
  type TensorLike
} from '../tf-values.js';
import type { TfModule } from '../tfjs.js';
import type { Codec, EncodeApi } from './types.js';

type ModelMarker = Marker & {
  artifacts: ModelArtifactsLike;
  weights: BytesRef;
  withOptimizer: boolean;
  /** Optimizer fields that are variables (accBeta1, ...), with their exact values. */
  optimizerState: { field: string; dtype: string; shape: number[]; data: ArrayBuffer }[];
};

/** Where a part sits in its model: layer indices (through nested models), then optionally more. */
interface PartPath {
  layers: number[];
  optimizer?: true;
  weight?: number;
}

type PartMarker = Marker & { model: unknown; part: PartPath; path: string };

/** Per walk: the models seen, in order. */
const modelsSeen = new WeakMap<EncodeApi, LayersModelLike[]>();

export const modelCodec: Codec<LayersModelLike, ModelMarker> = {
  kind: 'model',
  record: false,
  test: value => mayBeTfValue(value, isLayersModelLike),
  encode(model, marker, enc) {
    enc.needsTf();
    let seen = modelsSeen.get(enc);
    if (!seen) modelsSeen.set(enc, (seen = []));
    seen.push(model);
    marker.artifacts = {};
    marker.withOptimizer = false;
    marker.optimizerState = [];
    enc.preload(marker);
    enc.afterWalk(() => {
      if (rewriteAsModelPart(enc, model, marker)) return; // a nested model of another saved model
      const at = enc.here();
      const blob = enc.blob(`layers model weights at ${at}`);
      marker.weights = blob.ref;
      enc.job(async () => {
        let captured: Awaited<ReturnType<typeof captureModelArtifacts>>;
        try {
          captured = await captureModelArtifacts(model);
        } catch (error) {
          throw enc.failAt(at, {
            what: `a layers model that tfjs cannot save (${error instanceof Error ? error.message : String(error)})`,
            hint:
              'give custom layers a getConfig() and register them with tf.serialization.registerClass ' +
              'in a cell tagged `functions`, or rebuild the model in the step that uses it'
          });
        }
        const { weightData, ...artifacts } = captured.artifacts;
        marker.artifacts = artifacts;
        marker.withOptimizer = captured.withOptimizer;
        blob.setChunks(weightChunks(weightData));
        if (captured.withOptimizer) marker.optimizerState = await optimizerState(model.optimizer);
      });
    });
  },
  async preload(marker, dec) {
    const tf = dec.tf();
    const model = (await restoreLayersModel(tf, marker.artifacts, dec.bytes(marker.weights))) as LayersModelLike;
    if (marker.withOptimizer && model.optimizer) restoreOptimizerState(tf, model.optimizer, marker.optimizerState);
    return model;
  },
  decode: (marker, dec) => dec.model(marker)
};

export const modelPartCodec: Codec<object, PartMarker> = {
  kind: 'model-part',
  record: false,
  test: value => mayBeTfValue(value, v => isLayerLike(v) || isOptimizerLike(v)),
  encode(part, marker, enc) {
    marker.path = enc.here();
    enc.afterWalk(() => {
      if (rewriteAsModelPart(enc, part, marker)) return;
      const what = isOptimizerLike(part) ? 'a tfjs optimizer' : 'a tfjs layer';
      throw enc.fail({
        what: `${what} without the layers model it belongs to`,
        hint:
          'hand on the model as well (in this or another output; the layer is then `model.layers[i]` of the ' +
          'loaded model), or recreate it in the step that uses it'
      });
    });
  },
  decode(marker, dec) {
    const model = dec.decode(marker.model) as LayersModelLike;
    let target = model as unknown as { layers: unknown[]; optimizer?: unknown };
    for (const index of marker.part.layers) target = target.layers[index] as typeof target;
    if (marker.part.optimizer) return target.optimizer;
    if (marker.part.weight !== undefined)
      return readWeight((model as unknown as WithWeights).weights[marker.part.weight]);
    return target;
  }
};

/**
 * When `value` is part of a model of this walk (not itself), turns `marker`
 * into a reference to it, joins their groups and says true.
 */
export function rewriteAsModelPart(enc: EncodeApi, value: object, marker: Marker): boolean {
  const seen = modelsSeen.get(enc) ?? [];
  const tops = seen.filter(m => !seen.some(other => other !== m && layerPath(other, m) !== undefined));
  for (const model of tops) {
    if (model === value) continue;
    const part = partOf(model, value);
    if (!part) continue;
    const path = enc.here();
    for (const key of Object.keys(marker)) delete marker[key];
    const rewritten = marker as PartMarker;
    rewritten[markerKey] = 'model-part';
    rewritten.model = enc.nodeOf(model);
    rewritten.part = part;
    rewritten.path = path;
    enc.join(value, model);
    return true;
  }
  return false;
}

interface WithWeights {
  weights: unknown[];
}

function partOf(model: LayersModelLike, value: object): PartPath | undefined {
  const layers = layerPath(model, value);
  if (layers) return { layers };
  const optimizerAt = findLayers(model, m => (m as { optimizer?: unknown }).optimizer === value);
  if (optimizerAt) return { layers: optimizerAt, optimizer: true };
  if (isVariableLike(value as TensorLike)) {
    const weights = (model as unknown as Partial<WithWeights>).weights ?? [];
    const index = weights.findIndex(w => readWeight(w) === value);
    if (index >= 0) return { layers: [], weight: index };
  }
  return undefined;
}

function layerPath(model: object, layer: object): number[] | undefined {
  return findLayers(model, m => m === layer, true);
}

/** Depth-first through `layers` (nested models included); the index path of the first match. */
function findLayers(model: object, match: (m: object) => boolean, skipSelf = false, depth = 0): number[] | undefined {
  if (!skipSelf && match(model)) return [];
  if (depth > 64) return undefined;
  const layers = (model as { layers?: unknown }).layers;
  if (!Array.isArray(layers)) return undefined;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i] as unknown;
    if (typeof layer !== 'object' || layer === null) continue;
    const below = findLayers(layer, match, false, depth + 1);
    if (below) return [i, ...below];
  }
  return undefined;
}

function readWeight(weight: unknown): unknown {
  return (weight as { val?: unknown } | undefined)?.val;
}

function isLayerLike(value: object): boolean {
  const l = value as Record<string, unknown>;
  return (
    typeof l.apply === 'function' &&
    typeof l.getConfig === 'function' &&
    typeof l.getWeights === 'function' &&
    typeof l.computeOutputShape === 'function'
  );
}

function isOptimizerLike(value: object): boolean {
  const o = value as Record<string, unknown>;
  return (
    typeof o.applyGradients === 'function' && typeof o.minimize === 'function' && typeof o.getWeights === 'function'
  );
}

async function optimizerState(optimizer: unknown): Promise<ModelMarker['optimizerState']> {
  const state: ModelMarker['optimizerState'] = [];
  if (typeof optimizer !== 'object' || optimizer === null) return state;
  for (const field of Object.keys(optimizer)) {
    const value = (optimizer as Record<string, unknown>)[field];
    if (typeof value !== 'object' || value === null || !isVariableLike(value as TensorLike)) continue;
    const tensor = value as TensorLike;
    if (tensor.isDisposed || tensor.dtype === 'string') continue;
    const data = (await tensor.data()) as unknown as ArrayBufferView;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    state.push({ field, dtype: tensor.dtype, shape: [...tensor.shape], data: bytes.buffer });
  }
  return state;
}

function restoreOptimizerState(tf: TfModule, optimizer: unknown, state: ModelMarker['optimizerState']): void {
  for (const { field, dtype, shape, data } of state) {
    const target = (optimizer as Record<string, unknown>)[field] as { assign?: (t: unknown) => void } | undefined;
    if (typeof target?.assign !== 'function') continue;
    const values =
      dtype === 'int32' ? new Int32Array(data) : dtype === 'bool' ? new Uint8Array(data) : new Float32Array(data);
    const tensor = tf.tensor(values, shape, dtype as 'float32');
    target.assign(tensor);
    tensor.dispose();
  }
}
