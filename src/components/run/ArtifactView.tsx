import { TranslationBundle } from '@jupyterlab/translation';
import React, { useEffect, useState } from 'react';
import { RunApi } from '../../run/run-api';

export interface IArtifactViewProps {
  api: RunApi;
  runId: string;
  /** The file, relative to the run folder. */
  path: string;
  /** The display's MIME type; files without one are known by their extension. */
  mimeType?: string;
  /** The run's notebook, so a restarted backend still finds the run. */
  notebookPath?: string;
  trans: TranslationBundle;
}

type Kind = 'image' | 'html' | 'json' | 'text' | 'file';

/** How a run file is shown inline; HTML only in a sandboxed frame, so a step's page cannot script JupyterLab. */
export function artifactKind(path: string, mimeType?: string): Kind {
  const type = mimeType ?? mimeFromExtension(path);
  if (type === 'image/svg+xml' || type === 'image/png' || type === 'image/jpeg' || type === 'image/gif') {
    return 'image';
  }
  if (type === 'text/html') {
    return 'html';
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    return 'json';
  }
  if (type.startsWith('text/')) {
    return 'text';
  }
  return 'file';
}

function mimeFromExtension(path: string): string {
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  const types: Record<string, string> = {
    svg: 'image/svg+xml',
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    html: 'text/html',
    htm: 'text/html',
    json: 'application/json',
    txt: 'text/plain',
    csv: 'text/csv',
    md: 'text/markdown'
  };
  return types[extension] ?? 'application/octet-stream';
}

export function ArtifactView(props: IArtifactViewProps): JSX.Element {
  const { api, runId, path, trans } = props;
  const kind = artifactKind(path, props.mimeType);
  const url = api.artifactUrl(runId, path, props.notebookPath);
  const name = path.slice(path.lastIndexOf('/') + 1);
  let body: JSX.Element;
  switch (kind) {
    case 'image':
      body = <img className="jp-cellflow-ArtifactImage" src={url} alt={name} />;
      break;
    case 'html':
      body = <iframe className="jp-cellflow-ArtifactFrame" sandbox="" src={url} title={name} />;
      break;
    case 'json':
    case 'text':
      body = (
        <ArtifactText
          api={api}
          runId={runId}
          path={path}
          notebookPath={props.notebookPath}
          json={kind === 'json'}
          trans={trans}
        />
      );
      break;
    default:
      body = (
        <a href={url} download={name}>
          {trans.__('Download %1', name)}
        </a>
      );
  }
  return (
    <figure className={`jp-cellflow-Artifact jp-mod-${kind}`} data-path={path}>
      {body}
      <figcaption>{name}</figcaption>
    </figure>
  );
}

function ArtifactText(props: {
  api: RunApi;
  runId: string;
  path: string;
  notebookPath?: string;
  json: boolean;
  trans: TranslationBundle;
}): JSX.Element {
  const { api, runId, path, notebookPath, json, trans } = props;
  const [text, setText] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    api.artifactText(runId, path, notebookPath).then(
      value => live && setText(json ? prettyJson(value) : value),
      () => live && setFailed(true)
    );
    return () => {
      live = false;
    };
  }, [api, runId, path, notebookPath, json]);
  if (failed) {
    return <p className="jp-cellflow-Empty">{trans.__('The file could not be read.')}</p>;
  }
  return <pre className="jp-cellflow-ArtifactText">{text ?? trans.__('Loading…')}</pre>;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
