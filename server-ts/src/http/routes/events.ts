/**
 * `GET /api/runs/:id/events`: the run's events as Server-Sent Events, replayed after `Last-Event-ID` (or
 * `?after=`) and then followed live: `id: <seq>`, `event: <type>`, `data: <SequencedRunEvent>`. The stream ends
 * after `run-finished`; a client that goes away aborts the engine's iterator. Comment lines keep an idle stream
 * (and the proxies on its way) open.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Type, type Static } from 'typebox';
import type { RunRecord, SequencedRunEvent } from '../../engine/types.js';
import type { RouteDeps } from '../app.js';
import { httpError } from '../errors.js';
import type { ServerRoot } from '../paths.js';
import { errorResponses } from '../schemas/components.js';
import { RunParamsSchema } from '../schemas/api.js';
import { SequencedRunEventSchema } from '../schemas/runs.js';
import { apiRunRecord, apiStepRecord, locate } from './runs.js';

const SEQ = '^(0|[1-9][0-9]{0,15})$';

const EventsQuerySchema = Type.Object({
  after: Type.Optional(
    Type.String({ pattern: SEQ, description: 'Replay the events after this seq; `Last-Event-ID` wins when sent.' })
  ),
  path: Type.Optional(Type.String({ minLength: 1, description: "The run's notebook, relative to the Jupyter root." }))
});

const EventsHeadersSchema = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      pattern: SEQ,
      description: 'The seq of the last event received (EventSource sends it on reconnect).'
    })
  )
});

export function eventRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{
    Params: Static<typeof RunParamsSchema>;
    Querystring: Static<typeof EventsQuerySchema>;
    Headers: Static<typeof EventsHeadersSchema>;
  }>(
    '/api/runs/:id/events',
    {
      schema: {
        summary: "The run's events as Server-Sent Events, from the start or after Last-Event-ID / ?after=.",
        params: RunParamsSchema,
        querystring: EventsQuerySchema,
        headers: EventsHeadersSchema,
        response: {
          200: {
            description: 'text/event-stream: per event `id: <seq>`, `event: <type>`, `data: <SequencedRunEvent>`.',
            content: { 'text/event-stream': { schema: SequencedRunEventSchema } }
          },
          ...errorResponses(400, 404)
        }
      }
    },
    async (request, reply) => {
      const { engine } = await locate(deps, request.params.id, request.query.path);
      const after = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
      if (!Number.isSafeInteger(after))
        throw httpError.invalidRequest('The event number is too large.', 'Send the seq of the last event received.');
      const aborted = new AbortController();
      const events = engine.events(request.params.id, after, aborted.signal)[Symbol.asyncIterator]();
      await streamEvents(reply, events, aborted, deps);
      return reply;
    }
  );
}

async function streamEvents(
  reply: FastifyReply,
  events: AsyncIterator<SequencedRunEvent>,
  aborted: AbortController,
  deps: RouteDeps
): Promise<void> {
  // The run exists (located above): the stream starts now, so heartbeats flow while the first event is awaited.
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no', // a buffering proxy would hold the events back
    'X-Content-Type-Options': 'nosniff'
  });
  out.flushHeaders();
  const closed = () => aborted.abort();
  out.on('close', closed);
  const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), deps.heartbeatMs);
  try {
    while (!aborted.signal.aborted) {
      const next = await events.next();
      if (next.done || aborted.signal.aborted) break;
      await write(out, frame(next.value, deps.root));
      if (next.value.event.type === 'run-finished') break;
    }
  } catch {
    // The engine's log could not be read on: the client reconnects with its Last-Event-ID.
  } finally {
    clearInterval(heartbeat);
    out.off('close', closed);
    aborted.abort();
    await events.return?.().catch(() => undefined);
    out.end();
  }
}

/** One SSE frame; JSON has no raw newlines, so `data:` is one line. */
export function frame(sequenced: SequencedRunEvent, root: ServerRoot): string {
  return `id: ${sequenced.seq}\nevent: ${sequenced.event.type}\ndata: ${JSON.stringify(shown(sequenced, root))}\n\n`;
}

/** The event as the API shows records: no server folders. */
function shown(sequenced: SequencedRunEvent, root: ServerRoot): SequencedRunEvent {
  const { event } = sequenced;
  if (event.type === 'run-finished')
    return { ...sequenced, event: { ...event, record: apiRunRecord(event.record, root) as RunRecord } };
  if (event.type === 'step-finished') return { ...sequenced, event: { ...event, record: apiStepRecord(event.record) } };
  return sequenced;
}

/** Writes with backpressure: a slow client slows the replay down rather than filling the server's memory. */
async function write(out: ServerResponse, text: string): Promise<void> {
  if (out.destroyed) return;
  if (!out.write(text)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
}
