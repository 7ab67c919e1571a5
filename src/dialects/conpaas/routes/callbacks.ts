// The manager-certificate routes: POST /callback/decrementUserCredit.php and /ca/get_cert.php.
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ensureAccount } from '../../../billing/accounts.ts';
import { InsufficientCredit } from '../../../billing/errors.ts';
import { debit } from '../../../billing/ledger.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { EngineContext } from '../../../engine/run-operation.ts';
import { signServiceCsr, type PkiContext } from '../../../pki/certificates.ts';
import { refused } from '../errors.ts';
import { certificateManager, type ConpaasCaller } from '../auth.ts';
import { sidOf } from '../ids.ts';
import { conpaasNames, ownedResource } from '../services.ts';
import { existingTeam } from '../team.ts';
import { fileOf, parseInteger, valuesOf } from '../parameters.ts';
import { answers, form, sendJson, tags } from '../wire.ts';

/** The certificate's service must be a live service in its user's ConPaaS team; else `false`. */
async function managedService(ctx: EngineContext, request: FastifyRequest): Promise<ConpaasCaller & { serviceId: string; sid: number }> {
  const manager = await certificateManager(ctx, request);
  const teamId = await existingTeam(ctx, manager);
  const owned = teamId && (await ownedResource(ctx, manager, teamId, manager.serviceId));
  if (!owned) throw refused();
  return { ...manager, sid: await sidOf(ctx, manager.serviceId) };
}

/** Takes `decrement` from the service owner's account; never below zero, and a refused charge changes nothing. */
async function decrementCredit(ctx: EngineContext, manager: ConpaasCaller & { sid: number }, decrement: number): Promise<boolean> {
  if (decrement === 0) return true;
  const account = await ensureAccount(ctx, { type: 'user', id: manager.user.id });
  try {
    await debit(ctx, account.id, decrement, {
      type: 'callback',
      reason: `ConPaaS service ${manager.sid}: decrementUserCredit`,
      reference: `conpaas:decrement:${randomUUID()}`,
      actor: manager.caller,
    });
    return true;
  } catch (error) {
    if (error instanceof InsufficientCredit) return false;
    throw error;
  }
}

export function callbackRoutes(app: FastifyInstance, ctx: EngineContext, pki: PkiContext) {
  app.post(
    '/callback/decrementUserCredit.php',
    {
      schema: {
        tags,
        summary: "A manager takes credit from its service owner: {error: false}, or {error: true} and nothing changed",
        ...form({ sid: "the certificate's service", aid: 'the same, as later directors name it (instead of sid, or equal to it)', decrement: 'whole credit to take (missing: 0)' }),
        response: answers(Type.Object({ error: Type.Boolean() })),
      },
    },
    async (request, reply) => {
      const manager = await managedService(ctx, request);
      const values = valuesOf(request);
      // The service named must be the certificate's own: `sid`, or `aid` as later directors send it (both must match).
      const named = [values.sid, values.aid].filter((id) => id !== undefined);
      if (named.length === 0 || named.some((id) => parseInteger(id) !== manager.sid)) throw refused();
      const decrement = values.decrement === undefined ? 0 : parseInteger(values.decrement);
      // A negative decrement would mint credit: refused, unlike the director.
      if (decrement === undefined || decrement < 0) return sendJson(reply, { error: true });
      return sendJson(reply, { error: !(await decrementCredit(ctx, manager, decrement)) });
    },
  );

  app.post(
    '/ca/get_cert.php',
    {
      schema: {
        tags,
        summary: "A manager has an agent's CSR signed for its service: the certificate PEM (role=agent); false otherwise",
        consumes: ['multipart/form-data'],
        body: Type.Object({ csr: Type.String({ format: 'binary', description: 'a file: the PEM certificate request' }) }),
        response: { 200: Type.Union([Type.String({ description: 'application/x-pem-file' }), Type.Literal(false)]) },
      },
    },
    async (request, reply) => {
      const manager = await managedService(ctx, request);
      const csr = fileOf(request, 'csr');
      if (csr === undefined) throw refused();
      try {
        const { pem, serial } = await signServiceCsr(pki, manager.caller, { csr, role: 'agent', service: manager.serviceId }, { names: conpaasNames(manager, manager.sid) });
        return reply.code(200).type('application/x-pem-file').header('x-certificate-serial', serial).send(pem);
      } catch (error) {
        if (error instanceof DomainError) throw refused();
        throw error;
      }
    },
  );
}
