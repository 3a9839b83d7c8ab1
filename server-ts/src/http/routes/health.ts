/** `GET /api/health` (who is answering: the frontend's version check and restart detection) and `GET /`. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { version } from '../../version.js';
import { HealthResponseSchema, ReadyResponseSchema } from '../schemas/api.js';
import { errorResponses } from '../schemas/components.js';

export type HealthResponse = Static<typeof HealthResponseSchema>;

const instance = randomUUID();
const startedAt = new Date().toISOString();

export function healthRoutes(app: FastifyInstance): void {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'The backend: its version, and an instance id new for every process (a change means a restart).',
        response: { 200: HealthResponseSchema, ...errorResponses() }
      }
    },
    async (): Promise<HealthResponse> => ({ name: 'cellflow', version, instance, startedAt })
  );

  // jupyter-server-proxy polls `/` until it gets any HTTP answer and only then forwards requests.
  app.get(
    '/',
    { schema: { summary: "jupyter-server-proxy's readiness check.", response: { 200: ReadyResponseSchema } } },
    async () => ({ name: 'cellflow' as const, ready: true as const })
  );
}
