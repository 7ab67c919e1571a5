// The okeanos wire format: DRF's compact JSON, the status envelope, and its two error shapes.
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';

/** An error already in okeanos words: `{"errors":[{"status":..,"detail":..}]}`, or DRF's own `{"detail":..}`. */
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
} as const;

/** DRF's JSONRenderer: compact separators, UTF-8, and U+2028/U+2029 escaped. */
const drfJson = (body: unknown) => JSON.stringify(body).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export const sendJson = (reply: FastifyReply, code: number, body: unknown) => reply.code(code).type('application/json').serializer(drfJson).send(body);

/** `{"status":{"code","short_description"},"data":..}`, the body of every non-list answer. */
export const sendStatus = (reply: FastifyReply, code: number, shortDescription: string, data: unknown) =>
  sendJson(reply, code, { status: { code, short_description: shortDescription }, data });

export const StatusEnvelope = (data: TSchema) =>
  Type.Object({ status: Type.Object({ code: Type.Integer(), short_description: Type.String() }), data });

export const ErrorsBody = Type.Object({ errors: Type.Array(Type.Object({ status: Type.Integer(), detail: Type.String() })) }, { description: 'okeanos errors' });
export const DetailBody = Type.Object({ detail: Type.String() }, { description: "DRF's own errors (missing credentials)" });


function sendError(reply: FastifyReply, status: number, detail: string, drf = false) {
  if (status === 401) reply.header('www-authenticate', 'Token');
  return sendJson(reply, status, drf ? { detail } : { errors: [{ status, detail }] });
}

/** One place maps every error of this dialect to its wire format. */
export function handleOkeanosError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof OkeanosError) return sendError(reply, error.status, error.message, error.drf);
  if (error instanceof DomainError) return sendError(reply, httpStatusOf[error.code], error.message);
  const status = error.statusCode ?? 500;
  // DRF's parse errors (bad JSON, wrong media type, too large) are its own {"detail": ...}.
  if (status >= 400 && status < 500) return sendError(reply, status, error.message, true);
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, 500, 'A server error occurred.', true);
}
