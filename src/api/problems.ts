// Maps every error to RFC 9457 problem+json for the native API: one place, one format.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, httpStatusOf } from '../domain/errors.ts';

const titleOf: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  500: 'Internal Server Error',
};

export const problemType = (code: string) => `urn:cloudplane:problem:${code}`;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  [extension: string]: unknown;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
  extensions: Record<string, unknown> = {},
) {
  const problem: Problem = {
    type: problemType(code),
    title: titleOf[status] ?? 'Error',
    status,
    detail,
    instance: request.url,
    requestId: String(request.id),
    ...extensions,
  };
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(status).type('application/problem+json').serializer(JSON.stringify).send(problem);
}

/** Fastify's own errors (bad JSON, body too large, schema validation) keep their 4xx status and get a stable code. */
function frameworkCode(error: FastifyError): string {
  if (error.validation) return 'validation-failed';
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body-too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'malformed-json';
    default:
      return error instanceof SyntaxError ? 'malformed-json' : 'bad-request';
  }
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError)
    return sendProblem(request, reply, httpStatusOf[error.code], error.code, error.message, error.details);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const extensions = error.validation
      ? {
          errors: error.validation.map((v) => ({
            path: `${error.validationContext}${v.instancePath}`,
            message: v.message,
          })),
        }
      : {};
    return sendProblem(request, reply, status, frameworkCode(error), error.message, extensions);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(
    request,
    reply,
    500,
    'internal',
    'an internal error occurred; it has been logged with this request id',
  );
}

export const handleNotFound = (request: FastifyRequest, reply: FastifyReply) =>
  sendProblem(request, reply, 404, 'route-not-found', `no route for ${request.method} ${request.url.split('?')[0]}`);
