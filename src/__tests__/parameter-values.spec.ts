import type { Parameter } from '../ir';
import { parameterOverrides, parseParameterInput } from '../run/parameter-values';

const parameter = (name: string, type: Parameter['type'], value: Parameter['default']): Parameter => ({
  name,
  type,
  default: value,
  cellIndex: 5,
  line: 1
});

const epochs = parameter('epochs', 'number', 20);
const label = parameter('label', 'string', 'xor');
const verbose = parameter('verbose', 'boolean', false);

describe('parseParameterInput', () => {
  it('reads numbers, refusing text that is not one', () => {
    expect(parseParameterInput(epochs, ' 2 ')).toEqual({ ok: true, value: 2 });
    expect(parseParameterInput(epochs, '0.5')).toEqual({ ok: true, value: 0.5 });
    expect(parseParameterInput(epochs, 'two').ok).toBe(false);
    expect(parseParameterInput(epochs, '').ok).toBe(false);
    expect(parseParameterInput(epochs, 'Infinity').ok).toBe(false);
  });

  it('keeps strings as typed and booleans from a checkbox', () => {
    expect(parseParameterInput(label, ' 2 ')).toEqual({ ok: true, value: ' 2 ' });
    expect(parseParameterInput(verbose, true)).toEqual({ ok: true, value: true });
    expect(parseParameterInput(verbose, false)).toEqual({ ok: true, value: false });
  });
});

describe('parameterOverrides', () => {
  it('submits only the values that differ from the notebook’s, typed', () => {
    const { overrides, invalid } = parameterOverrides([epochs, label, verbose], {
      epochs: '2',
      label: 'xor',
      verbose: true
    });
    expect(overrides).toEqual({ epochs: 2, verbose: true });
    expect(invalid).toEqual([]);
  });

  it('names the values that do not parse, and drops edits of parameters that are gone', () => {
    const { overrides, invalid } = parameterOverrides([epochs], { epochs: 'many', removed: '3' });
    expect(overrides).toEqual({});
    expect(invalid).toEqual(['epochs']);
  });
});
