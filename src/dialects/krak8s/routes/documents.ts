// What krak8s served besides its resources: its Swagger 2.0 document as files, /v1/healthz, and goa's 404s.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { goTimeString } from '../go-time.ts';
import { handleKrak8sNotFound } from '../errors.ts';
import { swaggerDocument } from '../swagger.ts';
import { tags, type Krak8sRoutes } from './common.ts';

const version: string = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')).version;

/** The original's file routes; /openapi.json is not among them here: it is cloudplane's own OpenAPI 3.1 document. */
const documents = [
  { url: '/swagger', json: true },
  { url: '/swagger.json', json: true },
  { url: '/openapi', json: true },
  { url: '/swagger.yaml', json: false },
  { url: '/openapi.yaml', json: false },
];

const knownPaths: [string, string[]][] = [
  ['/v1/projects', ['GET', 'POST']],
  ['/v1/projects/:projectid', ['GET', 'DELETE']],
  ['/v1/projects/:projectid/namespaces', ['GET', 'POST']],
  ['/v1/projects/:projectid/namespaces/:namespaceid', ['GET', 'DELETE']],
  ['/v1/projects/:projectid/applications', ['GET', 'POST']],
  ['/v1/projects/:projectid/applications/:appid', ['GET', 'DELETE']],
  ['/v1/projects/:projectid/cluster', ['POST']],
  ['/v1/projects/:projectid/cluster/:resource_id', ['GET', 'DELETE']],
  ['/v1/healthz', ['GET']],
];
const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export const documentRoutes: Krak8sRoutes = (app) => {
  const json = `${JSON.stringify(swaggerDocument)}\n`;
  const yaml = stringify(swaggerDocument);
  const lastModified = new Date().toUTCString();
  for (const document of documents) {
    app.get(
      document.url,
      {
        config: { public: true },
        schema: { tags, summary: `the krak8s Swagger 2.0 document (${document.json ? 'JSON' : 'YAML'})` },
      },
      async (_request, reply) =>
        reply
          .header('last-modified', lastModified)
          .type(document.json ? 'application/json' : 'text/plain; charset=utf-8')
          .serializer((text: string) => text)
          .send(document.json ? json : yaml),
    );
  }

  app.get(
    '/v1/healthz',
    { config: { public: true }, schema: { tags, summary: 'krak8s health check (text/plain)' } },
    async (_request, reply) =>
      reply.type('text/plain').send(`Health OK: ${goTimeString(new Date())}, semVer: ${version}\n`),
  );

  // goa answered unknown paths and wrong methods under /v1/projects with its not_found error.
  const fallback = { config: { public: true }, schema: { tags, hide: true } };
  app.route({ method: methods, url: '/v1/projects/*', ...fallback, handler: handleKrak8sNotFound });
  for (const [url, served] of knownPaths) {
    const others = methods.filter(
      (method) => !served.includes(method) && !(method === 'HEAD' && served.includes('GET')),
    );
    app.route({ method: others, url, ...fallback, handler: handleKrak8sNotFound });
  }
};
