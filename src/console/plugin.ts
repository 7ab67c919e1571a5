// The web console at /console: index.html for every page path, the bundle built from web/, a strict CSP.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, lazyBundle, type ConsoleAsset } from './bundle.ts';

/** No inline script, no eval, no other origin: a script injected into a page has nowhere to send a token. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function readIndex(): ConsoleAsset {
  const body = readFileSync(new URL('../../web/index.html', import.meta.url));
  return { body, contentType: 'text/html; charset=utf-8', etag: etagOf(body) };
}

function send(request: FastifyRequest, reply: FastifyReply, asset: ConsoleAsset, cacheControl: string) {
  reply.headers(securityHeaders).header('etag', asset.etag).header('cache-control', cacheControl);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  return reply.type(asset.contentType).send(asset.body);
}

export async function consolePlugin(app: FastifyInstance) {
  const bundle = lazyBundle();
  const index = readIndex();
  const hidden = { schema: { hide: true } };
  // Revalidated on every load (ETag): a new server version is picked up without a stale bundle.
  const cacheControl = 'no-cache';

  app.get('/console', hidden, (_request, reply) => reply.redirect('/console/'));
  app.get('/console/assets/:file', hidden, async (request, reply) => {
    const asset = (await bundle()).get((request.params as { file: string }).file);
    if (!asset) return reply.callNotFound();
    return send(request, reply, asset, cacheControl);
  });
  // Every other path is a page of the console: the browser routes it.
  app.get('/console/*', hidden, (request, reply) => send(request, reply, index, cacheControl));
}
