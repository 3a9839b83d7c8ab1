/**
 * Reads a JSON request body, bounded in size. Requests carry paths and small
 * options, never notebooks, so a small limit keeps a bad client from filling
 * memory.
 */
import type { IncomingMessage } from 'node:http';
import { httpError } from './errors.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export async function readJsonBody(
  request: IncomingMessage,
  maxBytes: number = DEFAULT_MAX_BODY_BYTES
): Promise<unknown> {
  // Requiring the JSON content type also makes a cross-site browser POST need
  // a CORS preflight, which this server never grants.
  const contentType = request.headers['content-type'];
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw httpError.unsupportedMediaType(contentType);
  }
  const declaredLength = Number(request.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
    throw httpError.bodyTooLarge(maxBytes);
  }

  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > maxBytes) throw httpError.bodyTooLarge(maxBytes);
    chunks.push(chunk);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw httpError.invalidJson('the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw httpError.invalidJson((error as Error).message);
  }
}
