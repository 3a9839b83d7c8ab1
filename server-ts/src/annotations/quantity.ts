/**
 * Kubernetes resource quantities (`64Mi`, `4Gi`, `1.5G`, `500M`, `1e9`), as `limit:memory:` tags write them
 * and as Kubernetes reads them: binary suffixes are powers of 1024, decimal ones powers of 1000.
 */
const SUFFIXES: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  m: 1e-3
};

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(?:([KMGTPE]i|[kMGTPEm])|[eE]([+-]?\d+))?$/;

/** The quantity in base units (bytes for memory), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const value = Number(number) * (exponent !== undefined ? 10 ** Number(exponent) : SUFFIXES[suffix ?? '']!);
  return Number.isFinite(value) ? value : undefined;
}

/** The smallest heap a Node or Deno step can start with and run its prelude. */
export const MIN_STEP_MEMORY_BYTES = 32 * 2 ** 20;

/** `--max-old-space-size` (MiB) for a step's `limit:memory:` quantity. */
export function heapLimitMiB(quantity: string): number | undefined {
  const bytes = parseQuantity(quantity);
  return bytes === undefined ? undefined : Math.max(1, Math.floor(bytes / 2 ** 20));
}
