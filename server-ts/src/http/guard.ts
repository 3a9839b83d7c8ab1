/**
 * Who may talk to the server, checked before any route runs: the per-launch
 * secret (when the server listens on a TCP port) and the Host and Origin
 * headers (a DNS-rebinding page names its own host, so it is refused).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { httpError, type HttpError } from './errors.js';

/** The header jupyter-server-proxy adds with the secret it started the server with. */
export const SECRET_HEADER = 'x-cellflow-secret';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export interface GuardOptions {
  /** Required in every request when set (TCP mode); a Unix socket is guarded by its directory instead. */
  secret?: string;
  /** Extra host names accepted besides loopback ones (the configured host). */
  allowedHosts?: readonly string[];
}

/** The refusal for this request, or undefined when it may proceed. */
export function checkRequest(request: IncomingMessage, options: GuardOptions): HttpError | undefined {
  if (options.secret !== undefined && !secretMatches(request.headers[SECRET_HEADER], options.secret)) {
    return httpError.unauthorized();
  }
  const host = request.headers.host;
  const hostName = host === undefined ? undefined : nameOf(host);
  // A Unix socket has no host to name: node's clients send "localhost", curl sends "localhost" too.
  if (hostName === undefined || !(LOOPBACK_NAMES.has(hostName) || options.allowedHosts?.includes(hostName))) {
    return httpError.hostNotAllowed(host);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !originMatchesHost(origin, host as string)) {
    return httpError.originNotAllowed(origin);
  }
  return undefined;
}

function secretMatches(sent: string | string[] | undefined, secret: string): boolean {
  if (typeof sent !== 'string') return false;
  // Hashing first gives equal lengths, so the comparison time says nothing about the secret's length.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(secret));
}

/** The host name of a Host header value, lower-cased, without the port. */
function nameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function originMatchesHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host.toLowerCase() === new URL(`http://${host}`).host.toLowerCase();
  } catch {
    return false;
  }
}
