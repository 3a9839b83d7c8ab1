/**
 * Recognises tfjs tensors and layers models by shape, not `instanceof`: the
 * user's notebook may import a different tfjs copy (or flavour) than the one
 * `loadTf` picks, and both must work. Saving uses the value's own methods, so
 * it never loads tfjs; restoring uses whichever tfjs `loadTf` loaded.
 */
import type { TfModule } from './tfjs.js';

export type NumericDtype = 'float32' | 'int32' | 'bool' | 'complex64';
export type TensorDtype = NumericDtype | 'string';

/** The part of a tfjs Tensor (or Variable) that marshalling uses. */
export interface TensorLike {
  dtype: string;
  shape: number[];
  size: number;
  dataId: object;
  isDisposed: boolean;
  data(): Promise<ArrayLike<unknown>>;
  bytes(): Promise<Uint8Array | Uint8Array[]>;
  dataSync(): unknown;
  trainable?: boolean;
  assign?: unknown;
}

/** The weights-free part of tfjs `ModelArtifacts` travels as plain data. */
export type ModelArtifactsLike = Record<string, unknown> & {
  weightData?: ArrayBuffer | ArrayBuffer[];
};

/** The part of a tfjs LayersModel that marshalling uses. */
export interface LayersModelLike {
  layers: unknown[];
  optimizer?: unknown;
  predict(...args: unknown[]): unknown;
  compile(...args: unknown[]): unknown;
  getLayer(...args: unknown[]): unknown;
  save(handler: { save(artifacts: ModelArtifactsLike): Promise<unknown> }, config?: object): Promise<unknown>;
}

const bytesPerElement: Record<NumericDtype, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8 // interleaved real, imaginary float32 pairs
};

/**
 * Runs a duck-typing check on objects that could be tfjs values (not plain
 * objects or arrays), treating a getter that throws as "no".
 */
export function mayBeTfValue(value: unknown, check: (value: object) => boolean): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return false;
  try {
    return check(value);
  } catch {
    return false;
  }
}

export function isTensorLike(value: object): value is TensorLike {
  const t = value as Partial<TensorLike>;
  return (
    typeof t.dtype === 'string' &&
    Array.isArray(t.shape) &&
    typeof t.dataSync === 'function' &&
    typeof t.data === 'function' &&
    typeof t.dataId === 'object' &&
    t.dataId !== null
  );
}

export function isLayersModelLike(value: object): value is LayersModelLike {
  const m = value as Partial<LayersModelLike>;
  return (
    Array.isArray(m.layers) &&
    typeof m.predict === 'function' &&
    typeof m.compile === 'function' &&
    typeof m.getLayer === 'function' &&
    typeof m.save === 'function'
  );
}

export function isKnownDtype(dtype: string): dtype is TensorDtype {
  return dtype === 'string' || dtype in bytesPerElement;
}

/** Bytes of a numeric tensor's data, known before reading it. */
export function tensorByteLength(dtype: NumericDtype, size: number): number {
  return bytesPerElement[dtype] * size;
}

/** A tfjs Variable is a Tensor with `assign` and `trainable`. */
export function isVariableLike(tensor: TensorLike): boolean {
  return typeof tensor.assign === 'function' && typeof tensor.trainable === 'boolean';
}

/** The tensor's data as bytes, without copying where the backend allows. */
export async function readTensorBytes(tensor: TensorLike): Promise<Uint8Array> {
  const data = (await tensor.data()) as unknown;
  if (!ArrayBuffer.isView(data)) throw new TypeError(`tensor data is not a typed array (${tensor.dtype})`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A string tensor's elements as raw bytes (tfjs strings may hold any bytes). */
export async function readStringTensor(tensor: TensorLike): Promise<Uint8Array[]> {
  const bytes = await tensor.bytes();
  return Array.isArray(bytes) ? bytes : [bytes];
}

export function makeNumericTensor(
  tf: TfModule,
  dtype: NumericDtype,
  shape: number[],
  data: ArrayBuffer
): TfNamespaceTensor {
  if (dtype === 'complex64') {
    const pairs = new Float32Array(data);
    const real = new Float32Array(pairs.length / 2);
    const imag = new Float32Array(pairs.length / 2);
    for (let i = 0; i < real.length; i++) {
      real[i] = pairs[2 * i]!;
      imag[i] = pairs[2 * i + 1]!;
    }
    // tfjs refuses to build complex64 from one array; combine two parts.
    return tf.tidy(() => tf.complex(tf.tensor(real, shape), tf.tensor(imag, shape)));
  }
  const values =
    dtype === 'float32' ? new Float32Array(data) : dtype === 'int32' ? new Int32Array(data) : new Uint8Array(data);
  return tf.tensor(values, shape, dtype);
}

export function makeStringTensor(tf: TfModule, shape: number[], strings: Uint8Array[]): TfNamespaceTensor {
  return tf.tensor(strings, shape, 'string');
}

export function makeVariable(tf: TfModule, tensor: TfNamespaceTensor, trainable: boolean): TfNamespaceTensor {
  const variable = tf.variable(tensor, trainable);
  tensor.dispose(); // the variable holds its own reference to the data
  return variable;
}

type TfNamespaceTensor = ReturnType<TfModule['tensor']>;

/**
 * The model's topology and weights through an in-memory IOHandler, with the
 * optimizer state when the model is compiled, so a consuming step can keep
 * training. A model whose training config cannot be serialized (a custom loss
 * function, say) falls back to topology and weights only.
 */
export async function captureModelArtifacts(
  model: LayersModelLike
): Promise<{ artifacts: ModelArtifactsLike; withOptimizer: boolean }> {
  if (model.optimizer != null) {
    try {
      return {
        artifacts: await saveToMemory(model, true),
        withOptimizer: true
      };
    } catch {
      // fall through: save without the optimizer
    }
  }
  return { artifacts: await saveToMemory(model, false), withOptimizer: false };
}

async function saveToMemory(model: LayersModelLike, includeOptimizer: boolean): Promise<ModelArtifactsLike> {
  let captured: ModelArtifactsLike | undefined;
  await model.save(
    {
      save: async artifacts => {
        captured = artifacts;
        return {
          modelArtifactsInfo: {
            dateSaved: new Date(),
            modelTopologyType: 'JSON'
          }
        };
      }
    },
    { includeOptimizer }
  );
  if (!captured) throw new Error('the model did not hand its artifacts to the save handler');
  return captured;
}

export async function restoreLayersModel(
  tf: TfModule,
  artifacts: ModelArtifactsLike,
  weightData: ArrayBuffer
): Promise<unknown> {
  const complete = { ...artifacts, weightData } as Parameters<TfModule['io']['fromMemory']>[0];
  return tf.loadLayersModel(tf.io.fromMemory(complete));
}

/** Weight data may come as one buffer or (tfjs >= 4.10) as several. */
export function weightChunks(weightData: ArrayBuffer | ArrayBuffer[] | undefined): Uint8Array[] {
  if (weightData === undefined) return [];
  const buffers = Array.isArray(weightData) ? weightData : [weightData];
  return buffers.map(b => new Uint8Array(b));
}
