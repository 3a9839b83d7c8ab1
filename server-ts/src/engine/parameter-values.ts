/**
 * Parameter values for a run: the parameters cell's defaults, overridden by
 * `name=value` pairs typed by the cell. Every bad value is rejected before
 * anything runs.
 */
import { runError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { Parameter, ParameterValue } from '../ir.js';
import { notCarriedExactly } from '../analyze/parameters.js';

export function parseParameterOverrides(pairs: readonly string[]): Record<string, string> {
  // No prototype: `--param __proto__=1` is a name like any other (and then an unknown parameter), not a setter.
  const overrides: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CellflowError(runError.badParameterSyntax(pair));
    overrides[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return overrides;
}

export function resolveParameterValues(
  parameters: readonly Parameter[],
  overrides: Record<string, string | ParameterValue> = {}
): Record<string, ParameterValue> {
  const values: Record<string, ParameterValue> = Object.fromEntries(parameters.map(p => [p.name, p.default]));
  for (const [name, raw] of Object.entries(overrides)) {
    const parameter = parameters.find(p => p.name === name);
    if (!parameter)
      throw new CellflowError(
        runError.unknownParameter(
          name,
          parameters.map(p => p.name)
        )
      );
    values[name] = typed(parameter, raw);
  }
  return values;
}

function typed(parameter: Parameter, raw: string | ParameterValue): ParameterValue {
  if (typeof raw !== 'string') {
    if (typeof raw === parameter.type && (typeof raw !== 'number' || notCarriedExactly(raw) === undefined)) return raw;
    throw new CellflowError(runError.badParameterValue(parameter.name, parameter.type, String(raw)));
  }
  switch (parameter.type) {
    case 'number': {
      const value = raw.trim() === '' ? NaN : Number(raw);
      if (notCarriedExactly(value) !== undefined)
        throw new CellflowError(runError.badParameterValue(parameter.name, 'number', raw));
      return value;
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new CellflowError(runError.badParameterValue(parameter.name, 'boolean', raw));
    default:
      return raw;
  }
}

/**
 * The values a run is submitted with, checked against the plan's parameters before anything runs: every parameter
 * has one, of its type and carried exactly, and there are no others (a step would fail on a missing one mid-run).
 */
export function checkParameterValues(parameters: readonly Parameter[], values: Record<string, ParameterValue>): void {
  for (const name of Object.keys(values)) {
    if (!parameters.some(p => p.name === name))
      throw new CellflowError(
        runError.unknownParameter(
          name,
          parameters.map(p => p.name)
        )
      );
  }
  for (const parameter of parameters) {
    if (!Object.hasOwn(values, parameter.name)) throw new CellflowError(runError.missingParameterValue(parameter.name));
    typed(parameter, values[parameter.name]!);
  }
}
