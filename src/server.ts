// The composition root: wires configuration, store, services and HTTP surfaces into one app.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { openStore, type Store } from './store/database.ts';
import { ChangeFeed } from './events/change-feed.ts';
import { AccessCache } from './identity/access-cache.ts';
import { createKindRegistry } from './resources/kinds/registry.ts';
import type { ResourceContext } from './resources/resources.ts';
import { ensureBootstrapAdmin } from './identity/bootstrap.ts';
import { nativeApi } from './api/native-api.ts';
import { handleError, handleNotFound } from './api/problems.ts';
import { generateRequestId } from './api/request-id.ts';
import { createValidatorCompiler } from './api/validation.ts';
import { registerOpenApi } from './api/openapi.ts';
import { registerMetrics, systemRoutes } from './api/system.ts';

export const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface CloudplaneApp {
  http: FastifyInstance;
  ctx: ResourceContext;
  close(): Promise<void>;
}

export async function buildApp(config: Config, options: { announce?: (message: string) => void; store?: Store } = {}): Promise<CloudplaneApp> {
  const store = options.store ?? (await openStore(config.database.url ? { ...config.database } : { ...config.database, url: '' }));
  const feed = new ChangeFeed(store.db);
  const access = new AccessCache();
  const stopWatching = await access.watch(feed);
  const ctx: ResourceContext = { store, config, feed, access, kinds: createKindRegistry() };
  await ensureBootstrapAdmin(ctx, options.announce ?? ((message) => console.log(message)));

  const http = Fastify({
    logger: { level: config.log.level, redact: ['req.headers.authorization'] },
    bodyLimit: config.server.bodyLimitBytes,
    genReqId: generateRequestId,
    requestIdHeader: false,
  });
  http.setValidatorCompiler(createValidatorCompiler());
  // JSON only: a text body is a 415, not a string that fails validation later.
  http.removeContentTypeParser('text/plain');
  http.setErrorHandler(handleError);
  http.setNotFoundHandler(handleNotFound);
  http.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = registerMetrics(http);
  await registerOpenApi(http, version);
  systemRoutes(http, store, metrics);
  await http.register(nativeApi, { prefix: '/api/v1', ctx });
  await http.ready();

  return {
    http,
    ctx,
    async close() {
      stopWatching();
      feed.stop();
      await http.close();
      await store.close();
    },
  };
}
