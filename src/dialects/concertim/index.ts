// The Concertim OpenStack Service "API Handler" (conser/api/api_server.py), served from the core.
import type { FastifyInstance } from 'fastify';
import type { Dialect } from '../dialect.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { cloudLimitRoutes } from './cloud-limits.ts';
import { invoiceRoutes } from './invoices.ts';
import { keyPairRoutes } from './key-pairs.ts';
import { orderRoutes } from './orders.ts';
import { installPipeline, tags } from './pipeline.ts';
import type { ConcertimApp } from './scope.ts';
import { teamRoutes } from './teams.ts';
import { updateStatusRoutes } from './update-status.ts';
import { userRoutes } from './users.ts';

async function register(scope: FastifyInstance, ctx: ResourceContext) {
  installPipeline(scope, ctx.config.dialects.concertim.jwtSecret);
  const app = scope as unknown as ConcertimApp;
  app.get('/', { config: { public: true }, schema: { tags, summary: 'Says "Running" (no authentication)' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send('Running\n'),
  );
  userRoutes(app, ctx);
  teamRoutes(app, ctx);
  keyPairRoutes(app, ctx);
  updateStatusRoutes(app, ctx);
  invoiceRoutes(app, ctx);
  orderRoutes(app);
  cloudLimitRoutes(app, ctx);
}

export const concertimDialect: Dialect = { name: 'concertim', register };
