/**
 * tfjs tensors and tf.Variables, of every dtype. Numeric data is read after
 * the walk (one tensor at a time, so a GPU backend downloads one at a time)
 * and goes inline when small, else to a blob; tensors that share data (a
 * reshape) share one copy of the bytes. A variable that is a weight of a
 * layers model saved in the same group is saved as that weight instead (see
 * model.ts), so it stays the loaded model's own.
 */
import { MarshalError } from '../errors.js';
import { inlineByteLimit } from '../limits.js';
import { markerKey, type BytesRef, type Marker } from '../skeleton.js';
import {
  isKnownDtype,
  isTensorLike,
  isVariableLike,
  makeNumericTensor,
  makeStringTensor,
  makeVariable,
  mayBeTfValue,
  readStringTensor,
  readTensorBytes,
  tensorByteLength,
  type NumericDtype,
  type TensorLike
} from '../tf-values.js';
import { disposedTensor } from '../unsupported.js';
import { rewriteAsModelPart } from './model.js';
import type { Codec, EncodeApi } from './types.js';

type TensorMarker = Marker & {
  dtype: NumericDtype | 'string';
  shape: number[];
  data?: BytesRef;
  strings?: Uint8Array[];
  variable?: { trainable: boolean };
};

/** Per walk: tensor data id -> the bytes already queued for it. */
const sharedData = new WeakMap<EncodeApi, Map<object, { ref: BytesRef; tensor: object }>>();

export const tensorCodec: Codec<TensorLike, TensorMarker> = {
  kind: 'tensor',
  record: false,
  test: value => mayBeTfValue(value, isTensorLike),
  encode(tensor, marker, enc) {
    if (tensor.isDisposed) throw enc.fail(disposedTensor);
    const { dtype } = tensor;
    if (!isKnownDtype(dtype)) {
      throw enc.fail({
        what: `a tensor of dtype \`${dtype}\``,
        hint: 'cast it to float32 or int32 first'
      });
    }
    enc.needsTf();
    marker.dtype = dtype;
    marker.shape = [...tensor.shape];
    if (isVariableLike(tensor)) {
      marker.variable = { trainable: Boolean(tensor.trainable) };
      // Only once every model is known can we tell whether it is a model's weight.
      enc.afterWalk(() => {
        if (!rewriteAsModelPart(enc, tensor, marker)) queueData(tensor, marker, enc);
      });
    } else {
      queueData(tensor, marker, enc);
    }
  },
  decode(marker, dec) {
    const tf = dec.tf();
    const tensor =
      marker.dtype === 'string'
        ? makeStringTensor(tf, marker.shape, marker.strings!)
        : makeNumericTensor(tf, marker.dtype, marker.shape, dec.bytes(marker.data!));
    return marker.variable ? makeVariable(tf, tensor, marker.variable.trainable) : tensor;
  }
};

function queueData(tensor: TensorLike, marker: TensorMarker, enc: EncodeApi): void {
  const at = enc.here();
  const read = async <T>(get: () => Promise<T>): Promise<T> => {
    try {
      return await get();
    } catch (error) {
      if (error instanceof MarshalError) throw error;
      throw enc.failAt(at, {
        what: `a tensor whose data cannot be read (${error instanceof Error ? error.message : String(error)})`,
        hint: 'keep the tensor alive until the step ends, or hand on `await t.array()` instead'
      });
    }
  };
  if (marker.dtype === 'string') {
    marker.strings = [];
    enc.job(async () => {
      if (marker[markerKey] === 'tensor') marker.strings = await read(() => readStringTensor(tensor));
    });
    return;
  }
  let shared = sharedData.get(enc);
  if (!shared) sharedData.set(enc, (shared = new Map()));
  const known = shared.get(tensor.dataId);
  if (known) {
    marker.data = known.ref;
    enc.join(tensor, known.tensor);
    return;
  }
  const dtype = marker.dtype;
  const expected = tensorByteLength(dtype, tensor.size);
  const bytes = async (): Promise<Uint8Array> => {
    const data = await read(() => readTensorBytes(tensor));
    if (data.byteLength !== expected) {
      throw enc.failAt(at, {
        what: `a ${dtype} tensor whose data has ${data.byteLength} bytes instead of ${expected}`,
        hint: 'report this as a cellflow bug'
      });
    }
    return data;
  };
  let ref: BytesRef;
  if (expected <= inlineByteLimit) {
    const inline = { inline: new ArrayBuffer(0) };
    enc.job(async () => {
      inline.inline = (await bytes()).slice().buffer;
    });
    ref = inline;
  } else {
    const blob = enc.blob(`${dtype} tensor [${tensor.shape.join(',')}] at ${at}`);
    enc.job(async () => blob.setChunks([await bytes()]));
    ref = blob.ref;
  }
  marker.data = ref;
  shared.set(tensor.dataId, { ref, tensor });
}
