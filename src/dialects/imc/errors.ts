// Every error on the IMC paths in IMC's wire format, decided in this one place.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/errors.ts';
import { infrastructureIdFor } from './ids.ts';

const isDeploy = (request: FastifyRequest) =>
  request.method === 'POST' && request.routeOptions.url === '/v1/infrastructures';

/** A deploy that cannot be stored is IMC's 400 {"id"}: the id the record would have had (its key, as IMC answers), and why. */
const badRequest = (request: FastifyRequest, reply: FastifyReply, message: string) =>
  reply
    .code(400)
    .send(
      isDeploy(request)
        ? { id: infrastructureIdFor(request.headers['idempotency-key']).id, error: message }
        : { error: message },
    );

/** IMC's error words: 401 with its fixed message, 404 {"status":"invalid"}, a refused deploy's id; the rest say why in `error`. */
export function sendImcError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    switch (error.code) {
      case 'unauthorized':
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="imc"')
          .send({ error: 'Authentication failure' });
      case 'not-found':
        return reply.code(404).send({ status: 'invalid' });
      case 'forbidden':
        return reply.code(403).send({ error: error.message });
      default:
        // invalid, conflict (a quota, a team being deleted), precondition: the request cannot be stored.
        return badRequest(request, reply, error.message);
    }
  }
  const status = error.statusCode ?? 500;
  if (status === 400) return badRequest(request, reply, error.message);
  if (status > 400 && status < 500) return reply.code(status).send({ error: error.message });
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ error: 'internal error; it has been logged with this request id' });
}
