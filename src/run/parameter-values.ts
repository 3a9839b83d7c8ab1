/**
 * The parameters form's values: text typed into a field, read as the parameter's type, and the overrides a run is
 * submitted with (only the values that differ from the notebook's own).
 */
import type { Parameter, ParameterValue } from '../ir';

export type ParsedValue = { ok: true; value: ParameterValue } | { ok: false };

/** A field's text read as its parameter's type; booleans come from a checkbox, so any text is read as given. */
export function parseParameterInput(parameter: Parameter, text: string | boolean): ParsedValue {
  switch (parameter.type) {
    case 'boolean':
      return { ok: true, value: text === true || text === 'true' };
    case 'number': {
      const trimmed = String(text).trim();
      const value = Number(trimmed);
      return trimmed !== '' && Number.isFinite(value) ? { ok: true, value } : { ok: false };
    }
    default:
      return { ok: true, value: String(text) };
  }
}

/**
 * The overrides to submit: each edited parameter whose value differs from its default. Edits to a parameter the
 * notebook no longer has are dropped; a value that does not parse is reported by name so the run is not started.
 */
export function parameterOverrides(
  parameters: readonly Parameter[],
  edits: Readonly<Record<string, string | boolean>>
): { overrides: Record<string, ParameterValue>; invalid: string[] } {
  const overrides: Record<string, ParameterValue> = {};
  const invalid: string[] = [];
  for (const parameter of parameters) {
    if (!(parameter.name in edits)) {
      continue;
    }
    const parsed = parseParameterInput(parameter, edits[parameter.name]);
    if (!parsed.ok) {
      invalid.push(parameter.name);
    } else if (parsed.value !== parameter.default) {
      overrides[parameter.name] = parsed.value;
    }
  }
  return { overrides, invalid };
}
