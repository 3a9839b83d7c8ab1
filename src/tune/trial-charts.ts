/**
 * The trials view's charts as ECharts options, pure functions of the experiment record: the objective per trial
 * with the best-so-far line, and parallel coordinates of the tuned parameters against the objective. The best trial
 * is drawn apart in both. Animation is off: the record is read every second while trials run.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ExperimentRecord, TrialRecord } from './experiment-types';

/** The colour of the best trial, in both charts and the table. */
export const BEST_COLOR = '#e15759';
const TRIAL_COLOR = '#4e79a7';
const BEST_SO_FAR_COLOR = '#59a14f';

/** The trials that have an objective (succeeded, or stopped early with their last value), in trial order. */
export function scoredTrials(record: ExperimentRecord): TrialRecord[] {
  return record.trials
    .filter(t => t.objective !== null && (t.status === 'succeeded' || t.status === 'early-stopped'))
    .sort((a, b) => a.number - b.number);
}

/**
 * The best objective up to each trial (in trial order; null before the first scored one), as the experiment's
 * direction reads "best". Only succeeded trials count, as the record's `bestTrial` does.
 */
export function bestSoFar(record: ExperimentRecord): (number | null)[] {
  const maximize = record.spec.objective.type === 'maximize';
  let best: number | null = null;
  return [...record.trials]
    .sort((a, b) => a.number - b.number)
    .map(trial => {
      if (trial.status === 'succeeded' && trial.objective !== null) {
        if (best === null || (maximize ? trial.objective > best : trial.objective < best)) {
          best = trial.objective;
        }
      }
      return best;
    });
}

/** Trial `n` as the view numbers it (from 1, as people count; the record counts from 0). */
export function trialLabel(trial: Pick<TrialRecord, 'number'>): string {
  return `#${trial.number + 1}`;
}

/** The objective of each trial (points), the best so far (a step line), the best trial marked. */
export function objectiveChartOption(record: ExperimentRecord, trans: TranslationBundle): Record<string, unknown> {
  const metric = record.spec.objective.objectiveMetricName;
  const trials = [...record.trials].sort((a, b) => a.number - b.number);
  const scored = new Set(scoredTrials(record).map(t => t.number));
  const objectiveOf = (t: TrialRecord) => (scored.has(t.number) ? t.objective : null);
  const best = record.bestTrial;
  return {
    animation: false,
    title: { text: trans.__('%1 per trial', metric), left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, data: [trans.__('Trial'), trans.__('Best so far'), trans.__('Best trial')] },
    grid: { left: 56, right: 24, top: 48, bottom: 64, containLabel: false },
    xAxis: {
      type: 'category',
      name: trans.__('Trial'),
      nameLocation: 'middle',
      nameGap: 26,
      data: trials.map(trialLabel)
    },
    yAxis: { type: 'value', name: metric, scale: true },
    series: [
      {
        name: trans.__('Trial'),
        type: 'scatter',
        symbolSize: 9,
        itemStyle: { color: TRIAL_COLOR },
        data: trials.map(t => (t.number === best ? null : objectiveOf(t)))
      },
      {
        name: trans.__('Best so far'),
        type: 'line',
        step: 'end',
        connectNulls: true,
        showSymbol: false,
        lineStyle: { color: BEST_SO_FAR_COLOR, width: 2 },
        itemStyle: { color: BEST_SO_FAR_COLOR },
        data: bestSoFar(record)
      },
      {
        name: trans.__('Best trial'),
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 16,
        itemStyle: { color: BEST_COLOR },
        data: trials.map(t => (t.number === best ? objectiveOf(t) : null))
      }
    ]
  };
}

/**
 * One axis per tuned parameter (numbers as values, a log range on a log axis, lists as categories) and the
 * objective last; one line per scored trial, the best one wider and in the best colour.
 */
export function parallelChartOption(record: ExperimentRecord, trans: TranslationBundle): Record<string, unknown> {
  const metric = record.spec.objective.objectiveMetricName;
  const parameters = record.spec.parameters;
  const axes = parameters.map((p, dim) => {
    return 'list' in p
      ? { dim, name: p.name, type: 'category', data: p.list.map(String) }
      : { dim, name: p.name, type: p.log ? 'log' : 'value', scale: true };
  });
  axes.push({ dim: parameters.length, name: metric, type: 'value', scale: true });
  const listed = new Set(parameters.filter(p => 'list' in p).map(p => p.name));
  const row = (t: TrialRecord) => [
    ...parameters.map(p => (listed.has(p.name) ? String(t.assignment[p.name]) : t.assignment[p.name])),
    t.objective
  ];
  const trials = scoredTrials(record);
  return {
    animation: false,
    title: { text: trans.__('Parameters against %1', metric), left: 'center', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'item' },
    parallel: { left: 56, right: 80, top: 64, bottom: 28 },
    parallelAxis: axes.map(axis => ({ ...axis, nameTextStyle: { fontSize: 11 } })),
    series: [
      {
        name: trans.__('Trials'),
        type: 'parallel',
        lineStyle: { width: 1.5, opacity: 0.6, color: TRIAL_COLOR },
        data: trials.map(t =>
          t.number === record.bestTrial
            ? { name: trialLabel(t), value: row(t), lineStyle: { color: BEST_COLOR, width: 4, opacity: 1 } }
            : { name: trialLabel(t), value: row(t) }
        )
      }
    ]
  };
}
