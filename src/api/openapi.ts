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
        description:
          'A self-hosted cloud control plane: identity, tenancy, credentials and asynchronous resource lifecycles.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'identity', description: 'Users, login and API tokens' },
        { name: 'teams', description: 'Teams (tenants), members with roles, namespaces' },
        { name: 'keypairs', description: 'SSH key pairs' },
        { name: 'resources', description: 'Clusters, applications, services, jobs, servers, stacks' },
        { name: 'events', description: 'Audit log and change feed' },
        { name: 'stats', description: 'Public counts' },
        { name: 'billing', description: 'Billing accounts, the credit ledger and monthly invoices' },
        { name: 'pki', description: 'The certificate authority: user certificates, CSR signing, revocation, CRL' },
        { name: 'system', description: 'Health, readiness, metrics, this document' },
        { name: 'okeanos', description: 'Dialect: the ~okeanos Lambda central service (/api/...)' },
        {
          name: 'concertim',
          description: 'Dialect: the Concertim OpenStack API handler (root paths, also on its own port)',
        },
        { name: 'conpaas', description: 'Dialect: the ConPaaS director (form parameters, client certificates)' },
        { name: 'krak8s', description: 'Dialect: krak8s (/v1/projects...); its Swagger 2.0 document at /swagger.json' },
        { name: 'imc', description: 'Dialect: IMC infrastructures (/v1/infrastructures)' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
