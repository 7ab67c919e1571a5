// Mounts every enabled dialect at its original paths, each in its own encapsulated scope.
import type { FastifyInstance } from 'fastify';
import type { ResourceContext } from '../resources/context.ts';
import type { Dialect, DialectServices } from './dialect.ts';
import { dialects } from './index.ts';

export async function mountDialects(
  http: FastifyInstance,
  ctx: ResourceContext,
  services: DialectServices,
): Promise<void> {
  const settings = ctx.config.dialects as Record<string, { enabled?: boolean } | undefined>;
  for (const dialect of dialects) {
    if (settings[dialect.name]?.enabled === false) continue;
    await http.register(async (scope) => {
      documentSecurity(scope, dialect);
      await dialect.register(scope, ctx, services);
    });
  }
}

/** A route says which schemes it accepts (`schema.security`), is public (`config.public`), or accepts the dialect's. */
function documentSecurity(scope: FastifyInstance, dialect: Dialect) {
  scope.addHook('onRoute', (route) => {
    if (route.schema?.security) return;
    route.schema = { ...route.schema, security: route.config?.public ? [] : dialect.security };
  });
}
