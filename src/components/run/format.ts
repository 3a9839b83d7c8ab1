/** Shared wording of the run views: statuses and durations as people read them. */
import { TranslationBundle } from '@jupyterlab/translation';
import type { RunStatus, StepStatus } from '../../api/types';

export function statusLabel(status: RunStatus | StepStatus, trans: TranslationBundle): string {
  switch (status) {
    case 'pending':
      return trans.__('pending');
    case 'running':
      return trans.__('running');
    case 'succeeded':
      return trans.__('succeeded');
    case 'failed':
      return trans.__('failed');
    case 'skipped':
      return trans.__('skipped');
    case 'cancelled':
      return trans.__('cancelled');
    default:
      return String(status);
  }
}

/** `0.8 s`, `12 s`, `3 min 5 s`. */
export function formatSeconds(seconds: number, trans: TranslationBundle): string {
  if (seconds < 10) {
    return trans.__('%1 s', seconds.toFixed(1));
  }
  if (seconds < 60) {
    return trans.__('%1 s', Math.round(seconds));
  }
  const minutes = Math.floor(seconds / 60);
  return trans.__('%1 min %2 s', minutes, Math.round(seconds - minutes * 60));
}

/** Seconds since an ISO time, for what is still running; `now` is passed so renders agree. */
export function secondsSince(iso: string | undefined, now: number): number | null {
  if (!iso) {
    return null;
  }
  const started = Date.parse(iso);
  return Number.isNaN(started) ? null : Math.max(0, (now - started) / 1000);
}
