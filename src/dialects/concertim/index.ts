// The Concertim OpenStack Service "API Handler" (conser/api/api_server.py), served from the core.
import type { Dialect } from '../dialect.ts';
import { installPipeline } from './pipeline.ts';
import { cloudLimitRoutes } from './routes/cloud-limits.ts';
import type { ConcertimApp } from './routes/common.ts';
import { creditRoutes } from './routes/credits.ts';
import { invoiceRoutes } from './routes/invoices.ts';
import { keyPairRoutes } from './routes/key-pairs.ts';
import { orderRoutes } from './routes/orders.ts';
import { runningRoute } from './routes/running.ts';
import { teamRoutes } from './routes/teams.ts';
import { updateStatusRoutes } from './routes/update-status.ts';
import { userRoutes } from './routes/users.ts';

export const concertimDialect: Dialect = {
  name: 'concertim',
  description: 'Dialect: the Concertim OpenStack API handler (root paths, also on its own port)',
  securitySchemes: {
    concertimJwt: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'The HS256 JWT Concertim signs for every call, with dialects.concertim.jwtSecret.',
    },
  },
  security: [{ concertimJwt: [] }],
  async register(scope, ctx) {
    installPipeline(scope, ctx.config.dialects.concertim.jwtSecret);
    const app = scope as unknown as ConcertimApp;
    runningRoute(app);
    orderRoutes(app);
    for (const routes of [
      userRoutes,
      teamRoutes,
      keyPairRoutes,
      updateStatusRoutes,
      invoiceRoutes,
      creditRoutes,
      cloudLimitRoutes,
    ])
      routes(app, ctx);
  },
};
