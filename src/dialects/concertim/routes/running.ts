// GET /: the liveness answer Concertim's operators check, without authentication.
import { tags, type ConcertimApp } from './common.ts';

export function runningRoute(app: ConcertimApp) {
  app.get(
    '/',
    {
      config: { public: true },
      schema: { operationId: 'getRunning', tags, summary: 'Says "Running" (no authentication)' },
    },
    async (_request, reply) => reply.type('text/html; charset=utf-8').send('Running\n'),
  );
}
