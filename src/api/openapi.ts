// OpenAPI 3.1 generated from the route schemas, and the Swagger UI viewer at /docs.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export async function registerOpenApi(app: FastifyInstance, version: string) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cloudplane',
        version,
        description: 'A self-hosted cloud control plane: identity, tenancy, credentials and asynchronous resource lifecycles.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'identity', description: 'Users, login and API tokens' },
        { name: 'teams', description: 'Teams (tenants), members with roles, namespaces' },
        { name: 'keypairs', description: 'SSH key pairs' },
        { name: 'resources', description: 'Clusters, applications, services, jobs, servers, stacks' },
        { name: 'events', description: 'Audit log and change feed' },
        { name: 'stats', description: 'Public counts' },
        { name: 'system', description: 'Health, readiness, metrics, this document' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
