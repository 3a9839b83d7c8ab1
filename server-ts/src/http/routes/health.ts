import type { Route } from '../router.js';
import { randomUUID } from 'node:crypto';
import { version } from '../../version.js';

export interface HealthResponse {
  name: 'cellflow';
  version: string;
  /** New for every backend process: a change tells the frontend that the backend was restarted. */
  instance: string;
  /** When this backend process started (ISO 8601). */
  startedAt: string;
}

const instance = randomUUID();
const startedAt = new Date().toISOString();

/** `GET /api/health`: lets the frontend tell "backend missing" from other failures. */
export function healthRoute(): Route {
  return {
    method: 'GET',
    path: '/api/health',
    handle: async () => {
      const body: HealthResponse = {
        name: 'cellflow',
        version,
        instance,
        startedAt
      };
      return { status: 200, body };
    }
  };
}

/**
 * `GET /`: jupyter-server-proxy polls `/` until it gets any HTTP answer and
 * only then forwards requests, so this answers as soon as the server listens.
 */
export function readyRoute(): Route {
  return {
    method: 'GET',
    path: '/',
    handle: async () => ({
      status: 200,
      body: { name: 'cellflow', ready: true }
    })
  };
}
