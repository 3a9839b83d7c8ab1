/** `GET /api/restore/state-code`: what the frontend's "Restore state" executes in the notebook's kernel. */
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { stateCodeForNotebook } from '../../restore-kernel/restored-notebook.js';
import { resolveFileInsideRoot } from '../paths.js';
import type { RouteDeps } from '../app.js';
import { StateCodeQuerySchema, StateCodeResponseSchema } from '../schemas/restore-kernel.js';
import { errorResponses } from '../schemas/components.js';

export function restoreStateCodeRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Querystring: Static<typeof StateCodeQuerySchema> }>(
    '/api/restore/state-code',
    {
      schema: {
        summary:
          "The code that loads a restored step's values into the restored notebook's kernel (prelude, values, replayed cells).",
        querystring: StateCodeQuerySchema,
        response: { 200: StateCodeResponseSchema, ...errorResponses(400, 404, 422) }
      }
    },
    async (request): Promise<Static<typeof StateCodeResponseSchema>> => {
      const file = await resolveFileInsideRoot(deps.root, request.query.path);
      return stateCodeForNotebook(file, request.query.kernel);
    }
  );
}
