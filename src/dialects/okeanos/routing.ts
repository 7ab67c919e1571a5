// Registers one okeanos route under each of its spellings; only the first appears in /openapi.json.
import type { FastifyError, FastifyRequest, FastifySchema, HTTPMethods, RouteHandlerMethod } from 'fastify';
import type { ApiApp } from '../../api/app-types.ts';
import { OkeanosError } from './errors.ts';

export type Authentication = (request: FastifyRequest) => Promise<void>;

export interface RouteOptions {
  schema: FastifySchema & { summary: string };
  /** Absent: a public route. */
  authentication?: Authentication;
}

export function route(
  app: ApiApp,
  method: HTTPMethods,
  urls: string[],
  { schema, authentication }: RouteOptions,
  handler: RouteHandlerMethod,
) {
  urls.forEach((url, index) => {
    app.route({
      method,
      url,
      ...(authentication ? { onRequest: authentication } : {}),
      schema: {
        ...schema,
        tags: ['okeanos'],
        ...(authentication ? {} : { security: [] }),
        ...(index > 0 ? { hide: true } : {}),
      },
      // Our schema errors in DRF's field words: "<field>: This field is required."
      schemaErrorFormatter: (errors) => {
        const [first] = errors;
        const missing =
          first.keyword === 'required' ? (first.params as { missingProperty: string }).missingProperty : undefined;
        const field = missing ?? first.instancePath.replace(/^\//, '');
        const problem = missing ? 'This field is required.' : (first.message ?? 'Invalid value.');
        return new OkeanosError(400, field ? `${field}: ${problem}` : problem) as unknown as FastifyError;
      },
      handler,
    });
  });
}

/** `/x` and `/x/`: the original's routes take the trailing slash, its documents leave it off. */
export const withAndWithoutSlash = (url: string) => [url, `${url}/`];
