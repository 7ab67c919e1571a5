// Every failure on the ConPaaS wire, decided in one place: HTTP 200 with `false`, {"error": true, "msg"} or master's {"error": "<msg>"}, a 401 text, or a 4xx {"error": true, "msg"}.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { handleError } from '../../api/problems.ts';
import { DomainError, httpStatusOf } from '../../domain/errors.ts';

/** A finished answer thrown from deep in a route (an authentication that fails, a service that is not the caller's). */
export class ConpaasAnswer extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly text: boolean;

  constructor(status: number, body: unknown, text = false) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.name = 'ConpaasAnswer';
    this.status = status;
    this.body = body;
    this.text = text;
  }
}

/** The director's `simplejson.dumps(False)`. */
export const refused = () => new ConpaasAnswer(200, false);

export const failure = (msg: string) => new ConpaasAnswer(200, { error: true, msg });

/** Master's error_response, on the application routes it added: the error is the message itself. */
export const appFailure = (message: string) => new ConpaasAnswer(200, { error: message });

/** The cert_required decorator's make_response(error_msg, 401). */
export const unauthorizedText = (text: string) => new ConpaasAnswer(401, text, true);

/** A body no director could read (Werkzeug answered 400 Bad Request); the director's failure dict, with an honest status. */
export const malformedBody = (why: string) => new ConpaasAnswer(400, { error: true, msg: `Bad request: ${why}` });

/** Framework refusals (a body too large, a content type no parser takes) and domain errors, in the same dict. */
function asConpaasAnswer(error: FastifyError): ConpaasAnswer | undefined {
  if (error instanceof ConpaasAnswer) return error;
  if (error instanceof DomainError)
    return new ConpaasAnswer(httpStatusOf[error.code], { error: true, msg: error.message });
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new ConpaasAnswer(status, { error: true, msg: `Bad request: ${error.message}` });
  return undefined;
}

export function sendConpaasError(failure: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const error = asConpaasAnswer(failure);
  if (!error) return handleError(failure, request, reply);
  if (error.text) return reply.code(error.status).type('text/plain; charset=utf-8').send(error.body);
  return reply.code(error.status).type('application/json').send(JSON.stringify(error.body));
}
