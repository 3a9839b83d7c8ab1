/** The Content-Type an artifact is served with: the display's own MIME type, else one by the file's extension. */
import path from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8'
};

/** A MIME type as a header value: only `type/subtype` with safe characters, so a step cannot inject headers. */
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export function artifactContentType(filePath: string, mimeType?: string): string {
  if (mimeType !== undefined && MIME_TYPE.test(mimeType)) {
    return mimeType.startsWith('text/') || mimeType === 'application/json' ? `${mimeType}; charset=utf-8` : mimeType;
  }
  return BY_EXTENSION[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/** Types a browser would run scripts in when opened directly: served sandboxed, as an opaque origin. */
export function runsScripts(contentType: string): boolean {
  return /^(text\/html|image\/svg\+xml|application\/xhtml\+xml)\b/.test(contentType);
}
