/** The library step programs import: value marshalling, tfjs loading, metrics. */
export {
  saveValue,
  loadValue,
  saveValues,
  loadValues,
  savedValueNames,
  manifestFormat,
  manifestVersion
} from './marshal.js';
export type {
  MarshalContext,
  SaveValuesContext,
  LoadValuesContext,
  SavedValueInfo,
  ValueKind,
  ValueManifest,
  StoredFile
} from './marshal.js';
export { MarshalError, ValueLoadError } from './errors.js';
export type { MarshalErrorDetails } from './errors.js';
export type { NotebookClass } from './notebook-class.js';
export { loadTf, tfFlavour, tfCandidates } from './tfjs.js';
export type { TfModule, TfFlavour, TfCandidate } from './tfjs.js';
export { formatMetricLine, parseMetricLines } from './metrics.js';
