// Mounts every enabled dialect at its original paths, each in its own encapsulated scope.
import type { FastifyInstance } from 'fastify';
import type { ResourceContext } from '../resources/context.ts';
import type { DialectServices } from './dialect.ts';
import { dialects } from './index.ts';

export async function mountDialects(
  http: FastifyInstance,
  ctx: ResourceContext,
  services: DialectServices,
): Promise<void> {
  const settings = ctx.config.dialects as Record<string, { enabled?: boolean } | undefined>;
  for (const dialect of dialects) {
    if (settings[dialect.name]?.enabled === false) continue;
    await http.register(async (scope) => dialect.register(scope, ctx, services));
  }
}
