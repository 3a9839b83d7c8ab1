import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import type { RunView } from '../../api/types';
import { DagLayout, PlacedNode } from '../../run/dag-layout';
import { NON_STEP_COLOR } from '../../step-colors';
import { formatSeconds, secondsSince, statusLabel } from './format';

export interface IDagViewProps {
  layout: DagLayout;
  record: RunView;
  colors: ReadonlyMap<string, string>;
  selected: string | null;
  now: number;
  onSelect: (step: string) => void;
  onRunStep: (step: string) => void;
  onRunFromStep: (step: string) => void;
  /** No step can be started while the run is still going. */
  canRunSteps: boolean;
  trans: TranslationBundle;
}

/** The run's steps as an SVG graph laid out by dagre: each node coloured by its status, with its time. */
export function DagView(props: IDagViewProps): JSX.Element {
  const { layout, trans } = props;
  return (
    <svg
      className="jp-cellflow-Dag"
      width={layout.width}
      height={layout.height}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="group"
      aria-label={trans.__('Steps of the run')}
    >
      <defs>
        <marker
          id="jp-cellflow-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto"
        >
          <path d="M0,0 L10,5 L0,10 z" className="jp-cellflow-DagArrow" />
        </marker>
      </defs>
      {layout.edges.map(edge => (
        <polyline
          key={`${edge.from}->${edge.to}`}
          className="jp-cellflow-DagEdge"
          data-from={edge.from}
          data-to={edge.to}
          points={edge.points.map(point => `${point.x},${point.y}`).join(' ')}
          markerEnd="url(#jp-cellflow-arrow)"
        />
      ))}
      {layout.nodes.map(node => (
        <DagNode key={node.name} node={node} {...props} />
      ))}
    </svg>
  );
}

function DagNode(props: IDagViewProps & { node: PlacedNode }): JSX.Element {
  const { node, record, trans } = props;
  const step = record.steps[node.name];
  const status = step?.status ?? 'pending';
  const seconds = step?.seconds ?? (status === 'running' ? secondsSince(step?.startedAt, props.now) : null);
  const time = seconds === null ? '' : formatSeconds(seconds, trans);
  const selected = props.selected === node.name;
  const select = () => props.onSelect(node.name);
  return (
    <g
      className={`jp-cellflow-DagNode jp-mod-${status}${selected ? ' jp-mod-selected' : ''}`}
      data-step={node.name}
      data-status={status}
      transform={`translate(${node.x},${node.y})`}
    >
      <g
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        aria-label={trans.__('Step %1, %2', node.name, statusLabel(status, trans))}
        onClick={select}
        onKeyDown={event => (event.key === 'Enter' || event.key === ' ') && select()}
      >
        <rect className="jp-cellflow-DagNodeBox" width={node.width} height={node.height} rx={6} />
        <rect
          className="jp-cellflow-DagNodeStripe"
          width={6}
          height={node.height}
          rx={3}
          style={{ fill: props.colors.get(node.name) ?? NON_STEP_COLOR }}
        />
        <text className="jp-cellflow-DagNodeName" x={14} y={20}>
          {node.name}
        </text>
        <text className="jp-cellflow-DagNodeStatus" x={14} y={40}>
          {statusLabel(status, trans)}
          {time && ` · ${time}`}
          {step?.attempts !== undefined && step.attempts > 1 && ` · ${trans.__('attempt %1', step.attempts)}`}
        </text>
        {step?.cached && (
          <g className="jp-cellflow-DagNodeCached" transform={`translate(${node.width - 52},8)`}>
            <title>{trans.__('Taken from the cache: the step did not run again.')}</title>
            <rect width={44} height={16} rx={8} />
            <text x={22} y={12} textAnchor="middle">
              {trans.__('cached')}
            </text>
          </g>
        )}
      </g>
      {props.canRunSteps && (
        <g className="jp-cellflow-DagNodeActions" transform={`translate(${node.width - 44},${node.height - 20})`}>
          <NodeAction
            x={0}
            label={trans.__('Run this step (the rest from the cache or this run)')}
            glyph="M6 4 L13 8 L6 12 Z"
            onActivate={() => props.onRunStep(node.name)}
            className="jp-cellflow-RunThisStep"
          />
          <NodeAction
            x={20}
            label={trans.__('Run from this step (it and everything after it)')}
            glyph="M3 4 L9 8 L3 12 Z M9 4 L15 8 L9 12 Z"
            onActivate={() => props.onRunFromStep(node.name)}
            className="jp-cellflow-RunFromStep"
          />
        </g>
      )}
    </g>
  );
}

function NodeAction(props: {
  x: number;
  label: string;
  /** An SVG path in the button's 18×16 box (fonts may lack media symbols). */
  glyph: string;
  className: string;
  onActivate: () => void;
}): JSX.Element {
  return (
    <g
      className={`jp-cellflow-DagNodeAction ${props.className}`}
      role="button"
      tabIndex={0}
      aria-label={props.label}
      transform={`translate(${props.x},0)`}
      onClick={event => {
        event.stopPropagation();
        props.onActivate();
      }}
      onKeyDown={event => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.stopPropagation();
          props.onActivate();
        }
      }}
    >
      <title>{props.label}</title>
      <rect width={18} height={16} rx={3} />
      <path d={props.glyph} />
    </g>
  );
}
