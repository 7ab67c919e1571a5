// Idempotency-Key on POST: the first response is stored and replayed for retries of the same request.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../domain/context.ts';
import { invalid } from '../domain/errors.ts';
import { nowIso } from '../lib/ids.ts';
import * as store from '../store/idempotency.ts';
import { sendProblem } from './problems.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
  interface FastifyContextConfig {
    /** The secret this route's response holds (e.g. 'a private key'): it refuses Idempotency-Key, since replaying means storing. */
    secretInResponse?: string;
    /** Body fields that hold a secret (a password): left out of the stored request fingerprint, which is a plain hash. */
    secretsInRequest?: string[];
  }
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;
const keyLifetimeMs = 24 * 3600_000;
const purgeEveryMs = 3600_000;

/** The fingerprint that tells a retry from a different request; a secret field counts only as present, never by value. */
function requestHash(request: FastifyRequest): string {
  const secrets = request.routeOptions.config.secretsInRequest ?? [];
  let body = request.body ?? null;
  if (secrets.length > 0 && typeof body === 'object' && body !== null) {
    body = Object.fromEntries(
      Object.entries(body).map(([field, value]) => [field, secrets.includes(field) ? '[secret]' : value]),
    );
  }
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(body)}`)
    .digest('hex');
}

const refuseIdempotencyKey = (secret: string) => async (request: FastifyRequest) => {
  if (request.headers['idempotency-key'] !== undefined) {
    throw invalid(`Idempotency-Key is not accepted here: the response holds ${secret}, which is never stored`, {
      field: 'idempotency-key',
    });
  }
};

export function registerIdempotency(app: FastifyInstance, ctx: ServiceContext) {
  app.decorateRequest('idempotencyKey', null);
  const purge = setInterval(() => {
    store
      .purgeIdempotencyKeysBefore(ctx.store.db, new Date(Date.now() - keyLifetimeMs).toISOString())
      .catch((error) => app.log.warn({ err: error }, 'purging idempotency keys failed'));
  }, purgeEveryMs);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  const replayOrClaim = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !request.caller) return;
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      return sendProblem(
        request,
        reply,
        400,
        'invalid-idempotency-key',
        'Idempotency-Key must be 1-255 visible ASCII characters',
      );
    }
    const hash = requestHash(request);
    if (await store.claimIdempotencyKey(ctx.store.db, request.caller.userId, key, hash, nowIso())) {
      request.idempotencyKey = key;
      return;
    }
    const previous = await store.findIdempotencyKey(ctx.store.db, request.caller.userId, key);
    if (!previous || previous.request_hash !== hash) {
      return sendProblem(
        request,
        reply,
        422,
        'idempotency-key-reused',
        'this Idempotency-Key was used for a different request',
      );
    }
    if (previous.status_code === null) {
      return sendProblem(
        request,
        reply,
        409,
        'idempotency-key-in-flight',
        'a request with this Idempotency-Key is still being processed',
      );
    }
    const type = previous.status_code >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
    return reply
      .code(previous.status_code)
      .header('idempotent-replayed', 'true')
      .type(type)
      .send(previous.response_body);
  };

  const remember = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const key = request.idempotencyKey;
    if (!key || !request.caller) return payload;
    // Server errors are not remembered, so the client's retry gets a real second attempt.
    if (reply.statusCode >= 500) await store.releaseIdempotencyKey(ctx.store.db, request.caller.userId, key);
    else
      await store.completeIdempotencyKey(
        ctx.store.db,
        request.caller.userId,
        key,
        reply.statusCode,
        String(payload ?? ''),
      );
    return payload;
  };

  // Only POST routes carry the hooks, so reads pay nothing for them.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'POST') return;
    const secret = route.config?.secretInResponse;
    if (secret !== undefined) {
      // Before validation, so the answer does not depend on the body; public routes (login) included.
      route.preValidation = [refuseIdempotencyKey(secret), ...[route.preValidation ?? []].flat()];
      return;
    }
    route.preHandler = [replayOrClaim, ...[route.preHandler ?? []].flat()];
    route.onSend = [remember, ...[route.onSend ?? []].flat()];
  });
}
