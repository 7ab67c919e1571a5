// Every failure on the ConPaaS wire, decided in one place: HTTP 200 with `false` or {"error": true, "msg"}, or a 401 text.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { handleError } from '../../api/problems.ts';

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

/** The cert_required decorator's make_response(error_msg, 401). */
export const unauthorizedText = (text: string) => new ConpaasAnswer(401, text, true);

export function sendConpaasError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (!(error instanceof ConpaasAnswer)) return handleError(error, request, reply);
  if (error.text) return reply.code(error.status).type('text/plain; charset=utf-8').send(error.body);
  return reply.code(error.status).type('application/json').send(JSON.stringify(error.body));
}
