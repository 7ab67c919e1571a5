// Concertim's errors: the exception class names, statuses and messages of conser/exceptions.py, mapped in one place.
import type { ErrorObject } from 'ajv';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '../../domain/errors.ts';

/** `error` is the Python exception class name Concertim's API handler would have raised. */
export class ConcertimError extends Error {
  readonly status: number;

  constructor(className: string, status: number, message: string) {
    super(message);
    this.name = className;
    this.status = status;
  }
}

const pythonList = (keys: string[]) => `[${keys.map((key) => `'${key}'`).join(', ')}]`;

const missingRequiredArgument = (keys: string[]) =>
  new ConcertimError(
    'MissingRequiredArgument',
    415,
    `415 - Call to API is missing required argument(s) -> ${pythonList(keys)}`,
  );

export const apiAuthenticationError = (reason: string) =>
  new ConcertimError('APIAuthenticationError', 401, `401 - API Could not authenticate with Concertim -> ${reason}`);

export const invalidApiCall = (detail: string) =>
  new ConcertimError('InvalidAPICall', 406, `406 - Invalid API call attempted -> ${detail}`);

export const cloudAuthenticationError = (detail: string) =>
  new ConcertimError('CloudAuthenticationError', 401, `401 - Could not authenticate with Cloud -> ${detail}`);

export const apiServerDefError = (detail: string, status = 400) =>
  new ConcertimError('APIServerDefError', status, `${status} - API Server failed -> ${detail}`);

/** The core stands where OpenStack stood: its errors take the client exception names and "(HTTP n)" suffix. */
const cloudErrors: Record<DomainErrorCode, [string, number]> = {
  'not-found': ['NotFound', 404],
  conflict: ['Conflict', 409],
  invalid: ['BadRequest', 400],
  forbidden: ['Forbidden', 403],
  unauthorized: ['Unauthorized', 401],
  'precondition-failed': ['PreconditionFailed', 412],
};

/** Billing errors are Killbill's: BillingAPIFailure with the status Killbill would have answered. */
export function billingApiFailure(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  return new ConcertimError(
    'BillingAPIFailure',
    cloudErrors[error.code][1],
    `Billing API Call failed -> ${error.message}`,
  );
}

type SchemaNode = { required?: string[]; properties?: Record<string, SchemaNode> };

/** A missing object is reported with the keys required inside it, as the recursive key search does. */
const requiredWithin = (schema: SchemaNode | undefined): string[] =>
  (schema?.required ?? []).flatMap((key) => [key, ...requiredWithin(schema?.properties?.[key])]);

/** Missing keys are a 415 listing every one of them; any other schema failure is a 400. */
export function fromValidation(errors: ErrorObject[]): ConcertimError {
  const missing = errors
    .filter((error) => error.keyword === 'required')
    .flatMap((error) => {
      const key = String(error.params.missingProperty);
      return [key, ...requiredWithin((error.parentSchema as SchemaNode | undefined)?.properties?.[key])];
    });
  if (missing.length > 0) return missingRequiredArgument([...new Set(missing)]);
  const first = errors[0];
  return apiServerDefError(
    `${first.instancePath.slice(1).replaceAll('/', '.') || 'the body'} ${first.message ?? 'is invalid'}`,
  );
}

/** Every failure as Concertim's client sees one; unexpected ones are a 500 that names only the request. */
function toConcertimError(error: FastifyError | Error): ConcertimError | undefined {
  if (error instanceof ConcertimError) return error;
  if (error instanceof DomainError) {
    const [className, status] = cloudErrors[error.code];
    return new ConcertimError(className, status, `${error.message} (HTTP ${status})`);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) return fromValidation(fastifyError.validation as ErrorObject[]);
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return apiServerDefError(error.message, status);
  return undefined;
}

const internalError = (requestId: string) =>
  new ConcertimError(
    'Exception',
    500,
    `500 - an internal error occurred; it has been logged with request id ${requestId}`,
  );

/** The dialect's error handler: handle_exception's body, the traceback left empty as internals stay in the log. */
export function sendError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let failure = toConcertimError(error);
  if (!failure) {
    request.log.error({ err: error }, 'unhandled error');
    failure = internalError(String(request.id));
  }
  return reply
    .code(failure.status)
    .type('application/json')
    .send({ success: false, error: failure.name, message: failure.message, traceback: '' });
}
