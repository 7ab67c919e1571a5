// Every okeanos error on the wire, decided in one place: `{"errors":[{"status","detail"}]}`, or DRF's own `{"detail"}`.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';
import { sendJson } from './reply.ts';

/** An error already in okeanos words; `drf` marks the ones DRF itself raised (`{"detail":..}`). */
export class OkeanosError extends Error {
  readonly status: number;
  readonly drf: boolean;

  constructor(status: number, detail: string, options: { drf?: boolean } = {}) {
    super(detail);
    this.status = status;
    this.drf = options.drf ?? false;
  }
}

export const messages = {
  invalidToken: 'Unauthorized. Request failed because user provided an invalid token.',
  notAuthenticated: 'Authentication credentials were not provided.',
  limit: 'limit value should be an integer greater or equal to zero.',
  identityUnreachable: 'The identity service could not be reached; try again later.',
  counterAtZero: "Can't decrement started times counter for the specified application, the counter is already 0.",
} as const;

/** DRF's words for a body its parsers cannot read. */
export const unsupportedMediaType = (contentType: string) => `Unsupported media type "${contentType}" in request.`;

function parseErrorDetail(error: FastifyError, request: FastifyRequest): string {
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return unsupportedMediaType(request.headers['content-type'] ?? '');
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'JSON parse error - the body is not valid JSON.';
  return error.message;
}

function sendError(reply: FastifyReply, status: number, detail: string, drf = false) {
  if (status === 401) reply.header('www-authenticate', 'Token');
  return sendJson(reply, status, drf ? { detail } : { errors: [{ status, detail }] });
}

export function handleOkeanosError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OkeanosError) return sendError(reply, error.status, error.message, error.drf);
  if (error instanceof DomainError) return sendError(reply, httpStatusOf[error.code], error.message);
  const status = error.statusCode ?? 500;
  // DRF's parse errors (bad JSON, wrong media type, too large) are its own {"detail": ...}.
  if (status >= 400 && status < 500) return sendError(reply, status, parseErrorDetail(error, request), true);
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'A server error occurred.', true);
}
