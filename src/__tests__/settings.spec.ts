import { analysisDelayOf, SettingsReader } from '../settings';

/** Settings as the registry gives them: what the user saved, over the schema's defaults. */
function settings(user: Record<string, unknown>): SettingsReader {
  const defaults: Record<string, unknown> = { analysisDelay: 300 };
  return {
    get: (key: string) => ({ user: user[key], composite: user[key] ?? defaults[key] })
  } as unknown as SettingsReader;
}

describe('analysisDelayOf', () => {
  it('reads analysisDelay', () => {
    expect(analysisDelayOf(settings({ analysisDelay: 800 }))).toBe(800);
  });

  it('reads the old analyzeDelayMs when analysisDelay is unset', () => {
    expect(analysisDelayOf(settings({ analyzeDelayMs: 1200 }))).toBe(1200);
  });

  it('prefers analysisDelay over the old name when both are saved', () => {
    expect(analysisDelayOf(settings({ analysisDelay: 0, analyzeDelayMs: 1200 }))).toBe(0);
  });

  it('uses the default when neither is saved, or the old one is not a delay', () => {
    expect(analysisDelayOf(settings({}))).toBe(300);
    expect(analysisDelayOf(settings({ analyzeDelayMs: 'soon' }))).toBe(300);
  });
});

describe('schema/plugin.json', () => {
  // additionalProperties is false: a saved setting the schema does not declare makes the registry refuse them all.
  it('still declares analyzeDelayMs, without a default that would hide analysisDelay', () => {
    const fs = jest.requireActual<typeof import('fs')>('fs');
    const path = jest.requireActual<typeof import('path')>('path');
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schema/plugin.json'), 'utf8'));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.analyzeDelayMs.type).toBe('integer');
    expect(schema.properties.analyzeDelayMs.default).toBeUndefined();
    expect(schema.properties.analysisDelay.description).toMatch(/analyzeDelayMs/);
  });
});
