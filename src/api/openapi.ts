// OpenAPI 3.1 generated from the route schemas, and the Swagger UI viewer at /docs.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { nameOperations, type PathItem } from './operations.ts';

/** A tag and what it covers. */
export interface TagObject {
  name: string;
  description: string;
}

/** An OpenAPI security scheme: a bearer or basic Authorization header, another API key header, a client certificate. */
export type SecurityScheme =
  | { type: 'http'; scheme: 'bearer' | 'basic'; bearerFormat?: string; description: string }
  | { type: 'apiKey'; in: 'header'; name: string; description: string }
  | { type: 'mutualTLS'; description: string };

/** Which schemes an operation accepts: any one of the entries, each naming schemes that go together; [] for none. */
export type SecurityRequirement = Record<string, string[]>;

/** What the dialects add: their tags (which also prefix their operationIds) and the schemes their routes accept. */
export interface OpenApiExtensions {
  dialectTags: TagObject[];
  securitySchemes: Record<string, SecurityScheme>;
}

/** The schemes of the native API: its tokens, and client certificates on the HTTPS listener. */
export const nativeSecuritySchemes: Record<string, SecurityScheme> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description: 'A native API token, from `POST /api/v1/auth/login` or `POST /api/v1/tokens`.',
  },
  mutualTLS: {
    type: 'mutualTLS',
    description: "A client certificate from this cloudplane's CA, presented to the HTTPS listener (pki.https).",
  },
};

const nativeTags: TagObject[] = [
  { name: 'identity', description: 'Users, login and API tokens' },
  { name: 'teams', description: 'Teams (tenants), members with roles, namespaces' },
  { name: 'keypairs', description: 'SSH key pairs' },
  { name: 'resources', description: 'Clusters, applications, services, jobs, servers, stacks' },
  { name: 'events', description: 'Audit log and change feed' },
  { name: 'stats', description: 'Public counts' },
  { name: 'billing', description: 'Billing accounts, the credit ledger and monthly invoices' },
  { name: 'pki', description: 'The certificate authority: user certificates, CSR signing, revocation, CRL' },
  { name: 'system', description: 'Health, readiness, metrics, this document' },
];

/** Fastify's `/outputs/*` is documented as `/outputs/{*}`, a name no client can send: it becomes `{path}`. */
function nameWildcards(paths: Record<string, PathItem>): Record<string, PathItem> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => {
      if (!path.includes('{*}')) return [path, item];
      const renamed = Object.fromEntries(
        Object.entries(item).map(([method, operation]) => {
          const parameters = (operation as { parameters?: { name: string; in: string }[] }).parameters;
          if (!parameters) return [method, operation];
          const named = parameters.map((parameter) =>
            parameter.in === 'path' && parameter.name === '*' ? { ...parameter, name: 'path' } : parameter,
          );
          return [method, { ...(operation as object), parameters: named }];
        }),
      );
      return [path.replace('{*}', '{path}'), renamed];
    }),
  );
}

export async function registerOpenApi(app: FastifyInstance, version: string, extensions: OpenApiExtensions) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cloudplane',
        version,
        description:
          'A self-hosted cloud control plane: identity, tenancy, credentials and asynchronous resource lifecycles.',
      },
      // The plugin's types predate OpenAPI 3.1's mutualTLS scheme.
      // Relative: the document describes the server that serves it, whatever its address.
      servers: [{ url: '/' }],
      components: {
        securitySchemes: { ...extensions.securitySchemes, ...nativeSecuritySchemes } as Record<string, never>,
      },
      tags: [...nativeTags, ...extensions.dialectTags],
    },
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      const { openapiObject } = document;
      const paths = (openapiObject.paths ?? {}) as Record<string, PathItem>;
      nameOperations(
        paths,
        extensions.dialectTags.map((tag) => tag.name),
      );
      return { ...openapiObject, paths: nameWildcards(paths) };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
