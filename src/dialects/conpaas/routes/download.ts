// GET /download/ConPaaS.tar.gz: not ConPaaS's code, but what an agent needs to call this director back.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceContext } from '../../../resources/context.ts';
import type { PkiContext } from '../../../pki/certificates.ts';
import { tarGz } from '../tarball.ts';
import { tags } from '../wire.ts';

/** The configured URL, else the HTTPS listener on the host the client asked (the callbacks need client certificates). */
function directorUrl(ctx: ResourceContext, request: FastifyRequest): string {
  const configured = ctx.config.dialects.conpaas.directorUrl;
  if (configured) return configured.replace(/\/+$/, '');
  if (request.protocol === 'https') return `https://${request.host}`;
  return `https://${request.hostname}:${ctx.config.pki.https.port}`;
}

const readme = (url: string) => `This archive is made by cloudplane's ConPaaS dialect for ConPaaS managers and agents.
It holds no ConPaaS code: only what is needed to call the director back.

  ca_cert.pem          the certificate authority that signs every user, manager and agent certificate
  config/director.cfg  the director's URL

Calls back (HTTPS, with a client certificate from this CA):
  POST ${url}/callback/decrementUserCredit.php   sid, decrement   (manager certificate)
  POST ${url}/callback/terminateService.php      sid              (manager certificate; stops the service)
  POST ${url}/ca/get_cert.php                     file field csr   (manager certificate; signs an agent certificate)

A manager's own certificate is cert.pem, key.pem and ca_cert.pem in ../conpaas/ beside its working directory.
`;

export function downloadRoutes(app: FastifyInstance, ctx: ResourceContext, pki: PkiContext) {
  app.get(
    '/download/ConPaaS.tar.gz',
    {
      schema: {
        operationId: 'downloadAgentArchive',
        tags,
        security: [],
        summary: "A tar.gz an agent needs to call back: this CA's certificate, the director URL, a README",
        response: { 200: Type.String({ format: 'binary', description: 'application/gzip' }) },
      },
    },
    async (request, reply) => {
      const url = directorUrl(ctx, request);
      const archive = tarGz([
        { path: 'ConPaaS/README', content: readme(url) },
        { path: 'ConPaaS/ca_cert.pem', content: pki.authority.certificatePem },
        { path: 'ConPaaS/config/director.cfg', content: `[conpaas]\nDIRECTOR_URL = ${url}\n` },
      ]);
      return reply
        .code(200)
        .type('application/x-gzip')
        .header('content-disposition', 'attachment; filename=ConPaaS.tar.gz')
        .send(archive);
    },
  );
}
