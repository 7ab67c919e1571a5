// The one JSON body parser of every surface (each dialect inherits it unless it parses its own way).
import type { FastifyInstance } from 'fastify';

const utf8 = /^(utf-?8|us-ascii)$/i;

/** A 4xx error as Fastify's own parsers raise them, so every surface's error handler maps it alike. */
const unsupportedCharset = (charset: string) =>
  Object.assign(new Error(`JSON is read as UTF-8; charset ${charset} is not supported`), {
    statusCode: 415,
    code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
  });

/**
 * An empty body with a JSON content type is no body, as Django, Flask and goa treat it (the okeanos
 * service VM and IMC's clients send DELETE so); a route that needs a body still says it is missing.
 * A charset other than UTF-8 is refused rather than misread.
 */
export function registerJsonBodyParser(http: FastifyInstance): void {
  const parseJson = http.getDefaultJsonParser('error', 'error');
  http.removeContentTypeParser('application/json');
  http.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /;\s*charset="?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !utf8.test(charset)) return done(unsupportedCharset(charset), undefined);
    if (body === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
}
