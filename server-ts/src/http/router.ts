/**
 * A route table and the dispatch over it: exact paths, one handler per
 * method, 404 and 405 answered here so handlers only do their own job.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpError } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  /** The request URL, with the optional `/cellflow` prefix already removed. */
  url: URL;
}

/** A JSON answer; `null` when the handler wrote the response itself (event streams). */
export type RouteResult = { status: number; body: unknown } | null;

export interface Route {
  method: HttpMethod;
  path: string;
  handle: (context: RouteContext) => Promise<RouteResult>;
}

/**
 * jupyter-server-proxy runs the server with `absolute_url: False`, so a
 * browser request to `<base_url>/cellflow/api/health` arrives here as
 * `/api/health`. The same routes also answer under `/cellflow/...`, so the
 * URL a person sees in the browser works unchanged against the server
 * directly (curl, tests).
 */
export const PROXY_PREFIX = '/cellflow';

export function stripProxyPrefix(pathname: string): string {
  if (pathname === PROXY_PREFIX) return '/';
  if (pathname.startsWith(`${PROXY_PREFIX}/`)) {
    return pathname.slice(PROXY_PREFIX.length);
  }
  return pathname;
}

export interface Router {
  dispatch(request: IncomingMessage, response: ServerResponse): Promise<RouteResult>;
}

export function createRouter(routes: readonly Route[]): Router {
  const byPath = new Map<string, Map<string, Route>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Map<string, Route>();
    if (methods.has(route.method)) {
      throw new Error(`Two routes for ${route.method} ${route.path}.`);
    }
    methods.set(route.method, route);
    byPath.set(route.path, methods);
  }

  return {
    async dispatch(request, response) {
      const method = request.method ?? 'GET';
      // Prefixing the origin (rather than passing it as the base) keeps a
      // request target like `//other-host/x` a path instead of a host.
      const target = request.url ?? '/';
      const received = new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`);
      const url = new URL(received.href);
      url.pathname = stripProxyPrefix(received.pathname);

      const methods = byPath.get(url.pathname);
      if (!methods) throw httpError.routeNotFound(method, received.pathname);
      const route = methods.get(method);
      if (!route) {
        throw httpError.methodNotAllowed(method, received.pathname, [...methods.keys()]);
      }
      return route.handle({ request, response, url });
    }
  };
}
