// The composition root of the server: the core (src/core.ts) plus its HTTP surfaces.
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyLoggerOptions } from 'fastify';
import type { Config } from './config/schema.ts';
import { buildCore, type Core } from './core.ts';
import type { KindDefinition } from './resources/kinds/kind.ts';
import type { EngineContext } from './engine/context.ts';
import { nativeApi } from './api/native-api.ts';
import { handleError, handleNotFound } from './api/problems.ts';
import { registerJsonBodyParser } from './api/json-body.ts';
import { generateRequestId } from './api/request-id.ts';
import { requestLogging } from './api/request-log.ts';
import { createValidatorCompiler } from './api/validation.ts';
import { registerOpenApi } from './api/openapi.ts';
import { registerMetrics, systemRoutes } from './api/system.ts';
import { dialects } from './dialects/index.ts';
import { mountDialects } from './dialects/mount.ts';
import { consolePlugin } from './console/plugin.ts';
import { startConcertimListener } from './dialects/concertim/listener.ts';
import { registerCertificateIdentity, startMtlsListener, type MtlsListener } from './api/mtls.ts';
import { openAuthority, warnIfKeyUnprotected } from './pki/authority.ts';
import type { PkiContext } from './pki/certificates.ts';

export const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface CloudplaneApp {
  http: FastifyInstance;
  ctx: EngineContext;
  core: Core;
  pki: PkiContext;
  /** The HTTPS listener with client certificates, when pki.https.enabled. */
  mtls: MtlsListener | undefined;
  /** Concertim's own listener (dialects.concertim.port), when it has one. */
  concertim: FastifyInstance | undefined;
  close(): Promise<void>;
}

export interface BuildOptions {
  announce?: (message: string) => void;
  /** Where the request log goes instead of stdout. */
  logStream?: FastifyLoggerOptions['stream'];
  /** The kinds served: the built-in ones by default (see README, "Adding a kind"). */
  kinds?: KindDefinition[];
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<CloudplaneApp> {
  const core = await buildCore(config, options.announce ?? ((message) => console.log(message)), options.kinds);
  const { ctx } = core;
  const pki: PkiContext = { ...ctx, authority: await openAuthority(ctx.store.db, config.pki) };

  const http = Fastify({
    ...requestLogging(config.log, options.logStream),
    bodyLimit: config.server.bodyLimitBytes,
    genReqId: generateRequestId,
    requestIdHeader: false,
  });
  warnIfKeyUnprotected(config.pki, http.log);
  http.setValidatorCompiler(createValidatorCompiler());
  // JSON only: a text body is a 415, not a string that fails validation later.
  http.removeContentTypeParser('text/plain');
  registerJsonBodyParser(http);
  http.setErrorHandler(handleError);
  http.setNotFoundHandler(handleNotFound);
  http.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerCertificateIdentity(http, pki);
  const metrics = registerMetrics(http);
  await registerOpenApi(http, version, {
    dialectTags: dialects.map(({ name, description }) => ({ name, description })),
    securitySchemes: Object.assign({}, ...dialects.map((dialect) => dialect.securitySchemes)),
  });
  systemRoutes(http, ctx.store, metrics);
  await http.register(nativeApi, { prefix: '/api/v1', ctx, pki });
  await mountDialects(http, ctx, { pki });
  await http.register(consolePlugin);
  await http.ready();
  const mtls = config.pki.https.enabled ? await startMtlsListener(http, pki, config.pki.https) : undefined;
  const concertim = await startConcertimListener(ctx, { pki });
  await core.start(http.log);

  return {
    http,
    ctx,
    core,
    pki,
    mtls,
    concertim,
    async close() {
      await mtls?.close();
      await concertim?.close();
      await http.close();
      await core.close();
    },
  };
}
