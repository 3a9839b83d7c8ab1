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

  const text = (await collectBody(request, maxBytes)).toString('utf8');
  if (text.trim() === '') throw httpError.invalidJson('the body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw httpError.invalidJson((error as Error).message);
  }
}

/**
 * Collects the body with listeners rather than `for await`: leaving that loop
 * early destroys the request, and with it the socket the 413 answer needs.
 */
function collectBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        stopListening();
        // Discard the rest; the 413 answer closes the connection.
        request.resume();
        reject(httpError.bodyTooLarge(maxBytes));
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => {
      stopListening();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stopListening();
      reject(error);
    };
    const stopListening = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
