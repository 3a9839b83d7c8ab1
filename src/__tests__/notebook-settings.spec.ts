import { readRunSettings, writeRunSettings } from '../run/notebook-settings';

describe('readRunSettings', () => {
  it('reads Kale’s key overlaid by cellflow’s, base_image standing in for docker_image', () => {
    const settings = readRunSettings(
      { experiment_name: 'kale-exp', pipeline_name: 'kale-name', base_image: 'node:20' },
      { pipeline_name: 'ours', concurrency: 2, engine: 'local' }
    );
    expect(settings).toEqual({
      enabled: true,
      experiment_name: 'kale-exp',
      pipeline_name: 'ours',
      pipeline_description: '',
      docker_image: 'node:20',
      engine: 'local',
      concurrency: 2
    });
  });

  it('ignores values of the wrong type', () => {
    const settings = readRunSettings(['not', 'an', 'object'], {
      pipeline_name: 3,
      engine: 'slurm',
      concurrency: 0,
      enabled: 'no'
    });
    expect(settings.pipeline_name).toBe('');
    expect(settings.engine).toBeNull();
    expect(settings.concurrency).toBeNull();
    expect(settings.enabled).toBe(true);
  });
});

describe('writeRunSettings', () => {
  it('writes into cellflow’s key, keeping its other fields', () => {
    expect(
      writeRunSettings(undefined, { experiment_name: 'xor', other: 1 }, { pipeline_name: 'p', concurrency: 3 })
    ).toEqual({ experiment_name: 'xor', other: 1, pipeline_name: 'p', concurrency: 3 });
  });

  it('removes what means the default, so the notebook reads as without the sidebar', () => {
    const cellflow = { pipeline_name: 'p', engine: 'local', concurrency: 2, enabled: false };
    expect(
      writeRunSettings({}, cellflow, { pipeline_name: '', engine: null, concurrency: null, enabled: true })
    ).toEqual({});
  });

  it('stores an empty text over Kale’s value, which the backend reads as unset', () => {
    const written = writeRunSettings({ pipeline_name: 'kale-name' }, {}, { pipeline_name: '' });
    expect(written).toEqual({ pipeline_name: '' });
    expect(readRunSettings({ pipeline_name: 'kale-name' }, written).pipeline_name).toBe('');
  });

  it('stores turning cellflow off', () => {
    const written = writeRunSettings({}, {}, { enabled: false });
    expect(readRunSettings({}, written).enabled).toBe(false);
  });
});
