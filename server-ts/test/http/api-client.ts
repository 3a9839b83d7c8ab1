/** A small client for the API tests and benches: JSON requests and an SSE reader, over node:http. */
import http from 'node:http';
import { SECRET_HEADER, type CellflowServer } from '../../src/http/index.js';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
  raw: Buffer;
}

export function request(
  server: CellflowServer,
  method: string,
  path: string,
  options: { json?: unknown; headers?: Record<string, string>; secret?: string } = {}
): Promise<Reply> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = {
    ...(options.secret ? { [SECRET_HEADER]: options.secret } : {}),
    ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    ...options.headers
  };
  const target = server.socketPath ? { socketPath: server.socketPath } : { host: server.host, port: server.port };
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method, path, headers }, response => {
      const chunks: Buffer[] = [];
      response.on('data', chunk => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const json = /json/.test(String(response.headers['content-type']));
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: json && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : raw.toString('utf8'),
          raw
        });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every frame with data, in order, once the server ended the stream. */
  frames: Promise<SseFrame[]>;
  /** Comment lines seen so far (heartbeats). */
  comments: string[];
  /** Resolves with each frame as it arrives (for tests that act mid-stream). */
  onFrame(listener: (frame: SseFrame) => void): void;
  /** Closes the connection from the client's side. */
  close(): void;
}

/** Opens an event stream; resolves once the response headers arrived. */
export function openEvents(
  server: CellflowServer,
  path: string,
  options: { headers?: Record<string, string>; secret?: string } = {}
): Promise<SseStream> {
  const target = server.socketPath ? { socketPath: server.socketPath } : { host: server.host, port: server.port };
  const headers = {
    Accept: 'text/event-stream',
    ...(options.secret ? { [SECRET_HEADER]: options.secret } : {}),
    ...options.headers
  };
  return new Promise((resolve, reject) => {
    const req = http.request({ ...target, method: 'GET', path, headers }, response => {
      const frames: SseFrame[] = [];
      const comments: string[] = [];
      const listeners: ((frame: SseFrame) => void)[] = [];
      let buffer = '';
      const finished = new Promise<SseFrame[]>(done => {
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const frame: SseFrame = { data: '' };
            let hasData = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) frame.id = line.slice(4);
              else if (line.startsWith('event: ')) frame.event = line.slice(7);
              else if (line.startsWith('data: ')) {
                frame.data += (hasData ? '\n' : '') + line.slice(6);
                hasData = true;
              }
            }
            if (hasData) {
              frames.push(frame);
              for (const listener of listeners) listener(frame);
            }
          }
        });
        response.on('end', () => done(frames));
        response.on('close', () => done(frames));
        // The client closing its side (close()) ends the stream as much as the server does.
        response.on('error', () => done(frames));
      });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        frames: finished,
        comments,
        onFrame: listener => listeners.push(listener),
        close: () => req.destroy()
      });
    });
    req.on('error', reject);
    req.end();
  });
}
