// Concertim's own port (42356 by default), as the original listened on: a second Fastify serving only this dialect.
import Fastify, { type FastifyInstance } from 'fastify';
import { generateRequestId } from '../../api/request-id.ts';
import { requestLogging } from '../../api/request-log.ts';
import type { ResourceContext } from '../../resources/context.ts';
import type { DialectServices } from '../dialect.ts';
import { concertimDialect } from './index.ts';
import { ConcertimError, sendError } from './errors.ts';

/** Listens when the dialect is enabled and has a port; answers undefined otherwise. */
export async function startConcertimListener(
  ctx: ResourceContext,
  services: DialectServices,
): Promise<FastifyInstance | undefined> {
  const settings = ctx.config.dialects.concertim;
  if (!settings.enabled || settings.port === 0) return undefined;
  const http = Fastify({
    ...requestLogging(ctx.config.log),
    bodyLimit: ctx.config.server.bodyLimitBytes,
    genReqId: generateRequestId,
    requestIdHeader: false,
  });
  http.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  http.setNotFoundHandler((request, reply) =>
    sendError(
      new ConcertimError('NotFound', 404, '404 Not Found: The requested URL was not found on the server.'),
      request,
      reply,
    ),
  );
  await http.register(async (scope) => concertimDialect.register(scope, ctx, services));
  // Not Fastify's "Server listening at": that line announces the main port, which listens after this one.
  await http.listen({
    host: settings.host,
    port: settings.port,
    listenTextResolver: (address) => `Concertim API handler listening at ${address}`,
  });
  return http;
}
