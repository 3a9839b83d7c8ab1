/**
 * `GET /api/runs/:id/artifacts/<path>`: one file the run lists (an artifact or a display), with its content
 * type. `nosniff` keeps a browser to that type; HTML and SVG are sandboxed (an opaque origin without scripts'
 * reach into JupyterLab), since a step wrote them.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import type { RouteDeps } from '../app.js';
import { artifactContentType, runsScripts } from '../content-types.js';
import { errorResponses } from '../schemas/components.js';
import { locate, RunLookupQuerySchema, type RunLookupQuery } from './runs.js';

const ArtifactParamsSchema = Type.Object({
  id: Type.String({ minLength: 1 }),
  '*': Type.String({ minLength: 1, description: 'The file, as the run record lists it (relative to the run).' })
});

export function artifactRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: Static<typeof ArtifactParamsSchema>; Querystring: RunLookupQuery }>(
    '/api/runs/:id/artifacts/*',
    {
      schema: {
        summary: 'A file of the run, with its Content-Type (the display MIME type, else by extension).',
        params: ArtifactParamsSchema,
        querystring: RunLookupQuerySchema,
        response: {
          200: { description: 'The file.', content: { '*/*': { schema: Type.String({ format: 'binary' }) } } },
          ...errorResponses(404)
        }
      }
    },
    async (request, reply) => {
      const { engine } = await locate(deps, request.params.id, request.query.path);
      const filePath = request.params['*'];
      const file = await engine.artifact(request.params.id, filePath);
      const contentType = artifactContentType(filePath, file.mimeType);
      reply.headers({
        'Content-Type': contentType,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        ...(runsScripts(contentType) ? { 'Content-Security-Policy': 'sandbox' } : {})
      });
      return reply.send(Buffer.from(file.bytes));
    }
  );
}
