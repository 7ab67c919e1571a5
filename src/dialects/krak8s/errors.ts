// Every krak8s error on the wire, decided in one place: goa v1's error bodies, or a bare status.
import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';
import type { GoaError as GoaErrorBody } from './wire.ts';
import { sendGoJson } from './reply.ts';

/** A goa ErrorResponse: `application/vnd.goa.error` with {id, code, status, detail}. */
export class GoaError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, detail: string) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

/** What goa's generated contexts answer with no body at all (NotFound, Conflict, InternalServerError). */
export class BareStatus extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`status ${status}`);
    this.status = status;
  }
}

export const notFound = () => new BareStatus(404);
export const badRequest = (detail: string) => new GoaError(400, 'bad_request', detail);

/** goa's error ids: 6 random bytes in base64, 8 characters. */
export const goaErrorId = (): string => randomBytes(6).toString('base64');

export function sendBareStatus(reply: FastifyReply, status: number) {
  return reply.code(status).type('text/plain; charset=utf-8').send('');
}

export function sendGoaError(reply: FastifyReply, status: number, code: string, detail: string) {
  const body: GoaErrorBody = { id: goaErrorId(), code, status, detail };
  return sendGoJson(reply, status, 'application/vnd.goa.error', body);
}

const domainCode = {
  invalid: 'bad_request',
  conflict: 'conflict',
  forbidden: 'forbidden',
  unauthorized: 'unauthorized',
  'precondition-failed': 'bad_request',
} as const;

export function handleKrak8sError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof BareStatus) return sendBareStatus(reply, error.status);
  if (error instanceof GoaError) return sendGoaError(reply, error.status, error.code, error.message);
  if (error instanceof DomainError) {
    // A core "not found" is krak8s's empty 404; the other refusals keep their reason in a goa error.
    if (error.code === 'not-found') return sendBareStatus(reply, 404);
    return sendGoaError(reply, httpStatusOf[error.code], domainCode[error.code], error.message);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendGoaError(reply, status, 'bad_request', error.message);
  request.log.error({ err: error }, 'krak8s: unhandled error');
  // goa's verbose error handler: a non-goa error is a 500 in plain text.
  return reply.code(500).type('text/plain; charset=utf-8').send(error.message);
}

/** goa's not-found handler, also used for a wrong method on a known path. */
export const handleKrak8sNotFound = (request: FastifyRequest, reply: FastifyReply) =>
  sendGoaError(reply, 404, 'not_found', request.url.split('?')[0]);
