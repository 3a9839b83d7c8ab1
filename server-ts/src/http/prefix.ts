/**
 * jupyter-server-proxy runs the server with `absolute_url: False`, so a
 * browser request to `<base_url>/cellflow/api/health` arrives here as
 * `/api/health`. The same routes also answer under `/cellflow/...`, so the
 * URL a person sees in the browser works unchanged against the server
 * directly (curl, tests).
 */
export const PROXY_PREFIX = '/cellflow';

/** The request target without the prefix; a target like `//other-host/x` stays a path. */
export function stripProxyPrefix(target: string): string {
  if (target === PROXY_PREFIX || target.startsWith(`${PROXY_PREFIX}?`)) return `/${target.slice(PROXY_PREFIX.length)}`;
  if (target.startsWith(`${PROXY_PREFIX}/`)) return target.slice(PROXY_PREFIX.length);
  return target.startsWith('/') ? target : `/${target}`;
}
