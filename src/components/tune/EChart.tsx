/**
 * An ECharts chart in a React tree: initialised once on its element, given a new option whenever it changes
 * (`notMerge`, so a series that went away goes), resized with its element. Only the parts the trials view draws
 * are registered (`echarts/core`), which keeps the labextension's bundle small.
 */
import { LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import React from 'react';

echarts.use([
  LineChart,
  ScatterChart,
  ParallelChart,
  GridComponent,
  LegendComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer
]);

export interface IEChartProps {
  option: Record<string, unknown>;
  className?: string;
  /** Read by the UI tests: what the chart shows. */
  label: string;
}

export function EChart(props: IEChartProps): JSX.Element {
  const element = React.useRef<HTMLDivElement>(null);
  const chart = React.useRef<echarts.ECharts | null>(null);
  React.useEffect(() => {
    const node = element.current;
    if (!node) {
      return;
    }
    const instance = echarts.init(node, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  React.useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);
  return <div ref={element} className={props.className} role="img" aria-label={props.label} />;
}
