import { LabIcon } from '@jupyterlab/ui-components';

/** Three steps and their data flow: the sidebar tab and the analyze button. */
const pipelineSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="3" width="8" height="6" rx="1.5"/>
    <rect x="14" y="3" width="8" height="6" rx="1.5"/>
    <rect x="8" y="15" width="8" height="6" rx="1.5"/>
    <path d="M6 9v2.5a1.5 1.5 0 0 0 1.5 1.5H11v2h2v-2h3.5a1.5 1.5 0 0 0 1.5-1.5V9h-2v2H8V9z"/>
  </g>
</svg>`;

export const pipelineIcon = new LabIcon({
  name: 'cellflow:pipeline',
  svgstr: pipelineSvg
});

/** A play triangle over a small DAG: Compile and Run, and the run views. */
const runSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <rect x="2" y="3" width="7" height="5" rx="1.2"/>
    <rect x="2" y="16" width="7" height="5" rx="1.2"/>
    <path d="M5 8h1.5v8H5z"/>
    <path d="M12 5.5v13l10-6.5z"/>
  </g>
</svg>`;

export const runIcon = new LabIcon({
  name: 'cellflow:run',
  svgstr: runSvg
});
