/**
 * Reading `cellflow:plugin`'s settings, old names included: `analysisDelay` was once `analyzeDelayMs`, and users'
 * saved settings may still hold the old name. The new name wins when the user set it.
 */
import { ISettingRegistry } from '@jupyterlab/settingregistry';

/** The part of `ISettingRegistry.ISettings` read here, so tests can pass a plain object. */
export type SettingsReader = Pick<ISettingRegistry.ISettings, 'get'>;

export const DEFAULT_ANALYSIS_DELAY = 300;

/** The analysis delay in ms: the user's `analysisDelay`, else their old `analyzeDelayMs`, else the default. */
export function analysisDelayOf(settings: SettingsReader): number {
  const current = settings.get('analysisDelay');
  if (isDelay(current.user)) {
    return current.user;
  }
  const old = settings.get('analyzeDelayMs').user;
  if (isDelay(old)) {
    return old;
  }
  return isDelay(current.composite) ? current.composite : DEFAULT_ANALYSIS_DELAY;
}

function isDelay(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
