// The request log's options: what it prints of a request, never a query string's values (ConPaaS sends passwords there).
import type { FastifyLoggerOptions, FastifyRequest } from 'fastify';

/** The URL with each query value replaced; a parameter without `=` may itself be a secret, so it goes whole. */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const parts = url
    .slice(mark + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=[Redacted]` : '[Redacted]'));
  return `${url.slice(0, mark)}?${parts.join('&')}`;
}

/** Fastify's own request serializer, with the query's values redacted (the request id is bound to every line). */
const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: redactQuery(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/** The logger options of every Fastify instance we start; `stream` replaces stdout (tests read it). */
export function requestLogOptions(level: string, stream?: FastifyLoggerOptions['stream']) {
  return {
    level,
    redact: ['req.headers.authorization'],
    serializers: { req: requestForLog },
    ...(stream ? { stream } : {}),
  };
}
