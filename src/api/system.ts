// Operational endpoints: health, readiness, Prometheus metrics, the OpenAPI document and its viewer.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import { pingDatabase } from '../store/health.ts';
import type { Store } from '../store/store.ts';

export function registerMetrics(app: FastifyInstance): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cloudplane_' });
  const requests = new Counter({
    name: 'cloudplane_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'cloudplane_http_request_duration_seconds',
    help: 'HTTP request duration by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // Labelled children looked up once per method, route and status: hashing the labels on every
  // request, and an async hook's promise, cost more than the rest of a cheap request's bookkeeping.
  const counters = new Map<string, ReturnType<typeof requests.labels>>();
  const timers = new Map<string, ReturnType<typeof duration.labels>>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route}`;
    const status = String(reply.statusCode);
    let counter = counters.get(`${key} ${status}`);
    if (!counter) counters.set(`${key} ${status}`, (counter = requests.labels(request.method, route, status)));
    let timer = timers.get(key);
    if (!timer) timers.set(key, (timer = duration.labels(request.method, route)));
    counter.inc();
    timer.observe(reply.elapsedTime / 1000);
    done();
  });
  return registry;
}

const database = Type.String({ description: 'sqlite or postgres' });
const Live = Type.Object({ status: Type.Literal('ok') });
const Ready = Type.Object({ status: Type.Literal('ready'), database });
const Unavailable = Type.Object({ status: Type.Literal('unavailable'), database, detail: Type.String() });

export function systemRoutes(app: FastifyInstance, store: Store, metrics: Registry) {
  const tags = ['system'];
  // Probes, scrapers and client generators call these without credentials.
  const security: [] = [];
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'getLiveness',
        tags,
        security,
        summary: 'Liveness: the process answers',
        response: { 200: Live },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'getReadiness',
        tags,
        security,
        summary: 'Readiness: the database answers',
        response: { 200: Ready, 503: Unavailable },
      },
    },
    async (_request, reply) => {
      try {
        await pingDatabase(store.db);
        return { status: 'ready', database: store.dialect };
      } catch (error) {
        return reply
          .code(503)
          .send({ status: 'unavailable', database: store.dialect, detail: (error as Error).message });
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { operationId: 'getMetrics', tags, security, summary: 'Prometheus metrics' } },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
  );

  app.get(
    '/openapi.json',
    { schema: { operationId: 'getOpenApiDocument', tags, security, summary: 'This OpenAPI 3.1 document' } },
    async () => app.swagger(),
  );
}
