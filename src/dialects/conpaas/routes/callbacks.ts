// The manager-certificate routes: POST /callback/decrementUserCredit.php, /callback/terminateService.php and /ca/get_cert.php.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../domain/errors.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { signServiceCsr, type PkiContext } from '../../../pki/certificates.ts';
import { refused } from '../errors.ts';
import { decrementCredit, managedService, namesOwnService, terminateOwnService } from '../managers.ts';
import { conpaasNames } from '../services.ts';
import { fileOf, parseInteger, valuesOf } from '../parameters.ts';
import { answers, CertificateRequired, form, sendJson, tags } from '../wire.ts';

export function callbackRoutes(app: FastifyInstance, ctx: ResourceContext, pki: PkiContext) {
  app.post(
    '/callback/decrementUserCredit.php',
    {
      schema: {
        operationId: 'decrementUserCredit',
        tags,
        summary: 'A manager takes credit from its service owner: {error: false}, or {error: true} and nothing changed',
        ...form({
          sid: "the certificate's service",
          aid: 'the same, as later directors name it (instead of sid, or equal to it)',
          decrement: 'whole credit to take (missing: 0)',
        }),
        response: answers(Type.Object({ error: Type.Boolean() })),
      },
    },
    async (request, reply) => {
      const manager = await managedService(ctx, request);
      const values = valuesOf(request);
      if (!namesOwnService(manager, values)) throw refused();
      const decrement = values.decrement === undefined ? 0 : parseInteger(values.decrement);
      // A negative decrement would mint credit: refused, unlike the director.
      if (decrement === undefined || decrement < 0) return sendJson(reply, { error: true });
      return sendJson(reply, { error: !(await decrementCredit(ctx, manager, decrement)) });
    },
  );

  app.post(
    '/callback/terminateService.php',
    {
      schema: {
        operationId: 'terminateService',
        tags,
        summary:
          'A manager out of credit stops its own service: {error: false} once it is stopped (also when it already was), {error: true} for another sid',
        ...form({ sid: "the certificate's service", aid: 'the same, as later directors name it' }),
        response: answers(Type.Object({ error: Type.Boolean() })),
      },
    },
    // The manager reads json.loads(body)['error'] and retries until it is false: always a dict, never `false`.
    async (request, reply) => sendJson(reply, { error: !(await terminateOwnService(ctx, request, valuesOf(request))) }),
  );

  app.post(
    '/ca/get_cert.php',
    {
      schema: {
        operationId: 'signAgentCertificate',
        tags,
        summary:
          "A manager has an agent's CSR signed for its service: the certificate PEM (role=agent); false otherwise",
        consumes: ['multipart/form-data'],
        body: Type.Object({
          csr: Type.String({ format: 'binary', description: 'a file: the PEM certificate request' }),
        }),
        response: {
          200: Type.Union([Type.String({ description: 'application/x-pem-file' }), Type.Literal(false)]),
          401: CertificateRequired,
        },
      },
    },
    async (request, reply) => {
      const manager = await managedService(ctx, request);
      const csr = fileOf(request, 'csr');
      if (csr === undefined) throw refused();
      try {
        const { pem, serial } = await signServiceCsr(
          pki,
          manager.caller,
          { csr, role: 'agent', service: manager.serviceId },
          { names: conpaasNames(manager, manager.sid) },
        );
        return reply.code(200).type('application/x-pem-file').header('x-certificate-serial', serial).send(pem);
      } catch (error) {
        if (error instanceof DomainError) throw refused();
        throw error;
      }
    },
  );
}
