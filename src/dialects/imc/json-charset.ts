// JSON is UTF-8 (RFC 8259): a JSON body declared in another charset is refused before it is read, not misread.
import type { FastifyRequest } from 'fastify';

const utf8 = /^"?utf-?8"?$/i;

class UnsupportedCharset extends Error {
  readonly statusCode = 415;
}

/** Only a body that will be read: GET and HEAD bodies are not, and a header on an empty request says nothing. */
const carriesBody = (request: FastifyRequest) =>
  request.method !== 'GET' &&
  request.method !== 'HEAD' &&
  (request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0);

export async function refuseJsonInOtherCharsets(request: FastifyRequest) {
  if (!carriesBody(request)) return;
  const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  if (!/^application\/(.+\+)?json$/i.test(mediaType.trim())) return;
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset' && !utf8.test(value.trim())) {
      throw new UnsupportedCharset(`a JSON body is UTF-8; charset ${value.trim()} is not supported`);
    }
  }
}
