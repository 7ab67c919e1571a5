// Bodies are read as UTF-8 only: a body in another charset is refused before it is read, as a media type DRF cannot parse.
import type { FastifyRequest } from 'fastify';
import { OkeanosError, unsupportedMediaType } from './errors.ts';

const charsetParameter = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** A preParsing hook: no charset, or UTF-8 (any spelling Python accepts for it), or a 415. */
export async function refuseCharsetsOtherThanUtf8(request: FastifyRequest) {
  const contentType = request.headers['content-type'] ?? '';
  const charset = charsetParameter.exec(contentType)?.[1].toLowerCase().replace(/[-_]/g, '');
  if (charset !== undefined && charset !== 'utf8')
    throw new OkeanosError(415, unsupportedMediaType(contentType), { drf: true });
}
