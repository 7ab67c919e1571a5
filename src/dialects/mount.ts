// Mounts every enabled dialect at its original paths, each in its own encapsulated scope.
import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../engine/run-operation.ts';
import type { DialectServices } from './dialect.ts';
import { dialects } from './index.ts';

export async function mountDialects(http: FastifyInstance, ctx: EngineContext, services: DialectServices): Promise<void> {
  const settings = ctx.config.dialects as Record<string, { enabled?: boolean } | undefined>;
  for (const dialect of dialects) {
    if (settings[dialect.name]?.enabled === false) continue;
    await http.register(async (scope) => dialect.register(scope, ctx, services));
  }
}
