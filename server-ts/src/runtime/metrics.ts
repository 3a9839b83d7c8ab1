/**
 * Metrics as Katib's StdOut collector reads them: one `name=value` line each.
 * Katib's default filter is `([\w|-]+)\s*=\s*([+-]?\d*(\.\d+)?([Ee][+-]?\d+)?)`,
 * which does not take `.` in a name; keep Katib objective names to
 * letters, digits, `_` and `-`.
 */

const metricName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const metricLine = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*$/;

/**
 * `name=value`, the value in the shortest form that reads back to the same
 * double (`String(number)`), so no precision is lost.
 */
export function formatMetricLine(name: string, value: number): string {
  if (!metricName.test(name)) {
    throw new TypeError(
      `cellflow: metric name \`${name}\` must start with a letter or \`_\` and hold only letters, digits, \`_\`, \`.\` and \`-\``
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`cellflow: metric \`${name}\` must be a finite number, not ${String(value)}`);
  }
  return `${name}=${String(value)}`;
}

/** The metrics in a step's output; a name reported twice keeps its last value. */
export function parseMetricLines(text: string): Record<string, number> {
  const metrics = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const match = metricLine.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (!Number.isFinite(value)) continue; // e.g. 1e999
    metrics.delete(match[1]!); // last report decides the order too
    metrics.set(match[1]!, value);
  }
  // fromEntries defines own properties, so a metric named `__proto__` is safe.
  return Object.fromEntries(metrics);
}
