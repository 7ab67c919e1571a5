// The audit log and change feed: JSON pages, or server-sent events resumable with Last-Event-ID.
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../domain/context.ts';
import { listEvents, streamEvents, type SerialisedEvent } from '../../events/events.ts';
import { Event } from '../../events/models.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import { authenticate } from '../../identity/tokens.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { bearerSecret, callerOf } from '../auth.ts';
import { pageLimit } from '../pagination.ts';

const EventsQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0 })),
  team: Type.Optional(Type.String({ maxLength: 128, description: 'only this team (id or name)' })),
  object: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      pattern: '^\\S+$',
      description:
        "only the events about this object (the id in the event's `object.id`, e.g. a resource id); with `team` too, of both",
    }),
  ),
  live: Type.Optional(
    Type.Boolean({
      description: 'event stream only: no backlog, every event recorded from now on (once the response headers arrive)',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
});
type EventsRequest = FastifyRequest<{ Querystring: Static<typeof EventsQuery> }>;

function startingPoint(request: FastifyRequest<{ Querystring: { after?: number } }>): number {
  const header = request.headers['last-event-id'];
  if (header === undefined) return request.query.after ?? 0;
  const id = Number(header);
  if (!Number.isSafeInteger(id) || id < 0)
    throw invalid('Last-Event-ID must be an event id', { field: 'Last-Event-ID' });
  return id;
}

/** Authenticates the request's token again; resolves to why it no longer holds, or undefined while it does. */
async function tokenProblem(ctx: ServiceContext, request: FastifyRequest): Promise<string | undefined> {
  try {
    await authenticate(ctx, bearerSecret(request) ?? '');
    return undefined;
  } catch (error) {
    // Only a refused token ends the stream; a database hiccup is retried at the next heartbeat.
    if (error instanceof DomainError && error.code === 'unauthorized') return error.message;
    return undefined;
  }
}

/**
 * Checks a stream's token on every heartbeat and on demand (a token or user event): a stream outlives
 * no revocation, expiry or disabled user. A token no longer valid ends the stream through `fail`.
 */
function guardToken(ctx: ServiceContext, request: FastifyRequest, raw: ServerResponse, fail: (detail: string) => void) {
  const recheck = async () => {
    const problem = raw.writableEnded ? undefined : await tokenProblem(ctx, request);
    if (problem !== undefined) fail(`the token of this stream is no longer valid: ${problem}`);
  };
  const heartbeat = setInterval(() => {
    if (raw.writableEnded) return;
    raw.write(': heartbeat\n\n');
    void recheck();
  }, ctx.config.api.eventHeartbeatSeconds * 1000);
  return {
    // Deferred, so the access cache has forgotten the token (it hears the same event) before the check.
    recheck: () => queueMicrotask(() => void recheck()),
    stop: () => clearInterval(heartbeat),
  };
}

/**
 * A subscriber whose socket holds this much unsent data is cut off rather than buffered without end:
 * the stream ends (what was written still arrives) and its client resumes from Last-Event-ID.
 */
const maxUnsentBytes = 1 << 20;

function drainOrClose(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done).off('close', done);
      resolve();
    };
    raw.on('drain', done).on('close', done);
  });
}

/**
 * The SSE frames of a list of events, made once for every stream that sends that list (streams that see all of a
 * poll share its list) and each event's frame once for every list it is in.
 */
function frameMaker() {
  const frames = new WeakMap<SerialisedEvent, Buffer>();
  const lists = new WeakMap<SerialisedEvent[], Buffer>();
  const frameOf = (event: SerialisedEvent) => {
    let frame = frames.get(event);
    if (!frame) {
      frame = Buffer.from(`id: ${event.id}\nevent: ${event.type}\ndata: ${event.json}\n\n`);
      frames.set(event, frame);
    }
    return frame;
  };
  return (events: SerialisedEvent[]) => {
    if (events.length === 1) return frameOf(events[0]);
    let bytes = lists.get(events);
    if (!bytes) {
      bytes = Buffer.concat(events.map(frameOf));
      lists.set(events, bytes);
    }
    return bytes;
  };
}

type Frames = ReturnType<typeof frameMaker>;

async function stream(
  ctx: ServiceContext,
  open: Set<() => void>,
  framesOf: Frames,
  request: EventsRequest,
  reply: FastifyReply,
) {
  const caller = callerOf(request);
  const afterId = startingPoint(request);
  const raw = reply.raw;
  const write = (chunk: string | Buffer) => raw.write(chunk);
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': String(request.id),
  });
  let unsubscribe = () => {};
  const end = () => raw.end();
  const fail = (detail: string) => {
    if (raw.writableEnded) return;
    write(`event: error\ndata: ${JSON.stringify({ detail })}\n\n`);
    raw.end();
    close();
  };
  const guard = guardToken(ctx, request, raw, fail);
  const close = () => {
    guard.stop();
    unsubscribe();
    open.delete(end);
  };
  open.add(end);
  raw.on('close', close);
  try {
    unsubscribe = await streamEvents(
      ctx,
      caller,
      {
        afterId,
        team: request.query.team,
        object: request.query.object,
        live: request.query.live,
        onIdentityEvent: guard.recheck,
      },
      async (events, backlog) => {
        if (raw.writableEnded) return false;
        // A live subscriber too far behind is ended (see maxUnsentBytes); the backlog waits for the client instead.
        if (!backlog && raw.writableLength > maxUnsentBytes) {
          end();
          close();
          return false;
        }
        // One write per poll (or backlog page), not per event.
        const drained = write(framesOf(events));
        if (!drained && backlog) await drainOrClose(raw);
        return !raw.destroyed;
      },
    );
    if (raw.writableEnded || raw.destroyed) return close();
    // The headers leave with this first write, once subscribed: a client that has them misses nothing after.
    write(': cloudplane change feed\n\n');
  } catch (error) {
    fail((error as Error).message);
  }
}

export function eventRoutes(app: ApiApp, ctx: ServiceContext) {
  // Streams never end by themselves: a closing server ends them so it can stop.
  const openStreams = new Set<() => void>();
  const framesOf = frameMaker();
  app.addHook('onClose', async () => openStreams.forEach((end) => end()));

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Events you may see, oldest first; with Accept: text/event-stream, a live feed',
        description:
          "As JSON: a page after `after` (an event id). `team` and `object` narrow either form to one team, one object (a resource's timeline). As server-sent events: the backlog after Last-Event-ID (or `after`), then live events; reconnecting with Last-Event-ID resumes without loss. With `live=true`, no backlog: the events recorded once the headers have arrived.",
        querystring: EventsQuery,
        response: {
          200: Type.Object({ items: Type.Array(Event), next: Type.Union([Type.Integer(), Type.Null()]) }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      if ((request.headers.accept ?? '').includes('text/event-stream'))
        return stream(ctx, openStreams, framesOf, request, reply);
      const limit = pageLimit(request.query.limit, ctx.config.api);
      const items = await listEvents(ctx, callerOf(request), {
        afterId: startingPoint(request),
        limit,
        team: request.query.team,
        object: request.query.object,
      });
      return { items, next: items.length === limit ? items[items.length - 1].id : null };
    },
  );
}
