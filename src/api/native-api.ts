// The native API plugin, mounted at /api/v1: authentication, idempotency, problem+json, routes.
import type { FastifyInstance } from 'fastify';
import type { ResourceContext } from '../resources/context.ts';
import type { PkiContext } from '../pki/certificates.ts';
import { bearer, type ApiApp } from './app-types.ts';
import { bearerAuthentication } from './auth.ts';
import { registerIdempotency } from './idempotency.ts';
import { handleError, handleNotFound } from './problems.ts';
import { authRoutes } from './routes/auth.ts';
import { billingRoutes } from './routes/billing.ts';
import { eventRoutes } from './routes/events.ts';
import { jobFileRoutes } from './routes/job-files.ts';
import { keyPairRoutes } from './routes/keypairs.ts';
import { pkiRoutes } from './routes/pki.ts';
import { quotaRoutes } from './routes/quotas.ts';
import { resourceRoutes } from './routes/resources.ts';
import { statsRoutes } from './routes/stats.ts';
import { teamRoutes } from './routes/teams.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { userRoutes } from './routes/users.ts';

export async function nativeApi(instance: FastifyInstance, options: { ctx: ResourceContext; pki: PkiContext }) {
  const app = instance as unknown as ApiApp;
  const { ctx } = options;
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.decorateRequest('caller', null);
  app.addHook('onRequest', bearerAuthentication(ctx));
  // What bearerAuthentication asks of each route, for /openapi.json: a token, unless the route is public.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: route.schema?.security ?? (route.config?.public ? [] : bearer) };
  });
  registerIdempotency(app, ctx);
  for (const routes of [
    authRoutes,
    userRoutes,
    tokenRoutes,
    teamRoutes,
    keyPairRoutes,
    resourceRoutes,
    jobFileRoutes,
    quotaRoutes,
    billingRoutes,
    eventRoutes,
    statsRoutes,
  ]) {
    routes(app, ctx);
  }
  pkiRoutes(app, options.pki);
}
