// A dialect: one seed API's paths, authentication and wire format, translated onto the core services.
import type { FastifyInstance } from 'fastify';
import type { ResourceContext } from '../resources/context.ts';
import type { PkiContext } from '../pki/certificates.ts';
import type { SecurityRequirement, SecurityScheme } from '../api/openapi.ts';

/** Services beyond the core that some dialects need (ConPaaS issues certificates). */
export interface DialectServices {
  pki: PkiContext;
}

export interface Dialect {
  /** The seed's name: also its config key under `dialects`, its OpenAPI tag and its folder. */
  name: string;
  /** What its OpenAPI tag says; the tag also prefixes its operationIds (okeanosListLambdaInstances). */
  description: string;
  /** The schemes its routes accept that the native API does not declare (bearerAuth, mutualTLS), for /openapi.json. */
  securitySchemes: Record<string, SecurityScheme>;
  /** What its routes accept unless a route's `schema.security` says otherwise; a `config.public` route accepts anyone. */
  security: SecurityRequirement[];
  /**
   * Adds the seed's routes to `app`, an encapsulated Fastify scope of its own: its error handler,
   * content-type parsers and hooks apply to its routes only.
   */
  register(app: FastifyInstance, ctx: ResourceContext, services: DialectServices): Promise<void>;
}

/** HTTP Basic with a cloudplane username and password, which krak8s and IMC clients send. */
export const basicAuth: Record<string, SecurityScheme> = {
  basicAuth: { type: 'http', scheme: 'basic', description: 'A cloudplane username and password (HTTP Basic).' },
};
