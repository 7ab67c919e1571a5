// The certificate authority on the native API: user certificates, CSR signing, the register, revocation, the CRL and the CA certificate.
import { Type } from '@sinclair/typebox';
import { issueUserCertificates, signServiceCsr, type PkiContext } from '../../pki/certificates.ts';
import { Certificate, CertificateIdentity, ServiceRole } from '../../pki/models.ts';
import { certificateRevocationList, listCertificates, revokeCertificate } from '../../pki/register.ts';
import { x509 } from '../../pki/x509.ts';
import { commonErrors, ProblemResponse, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { requireCertificateIdentity } from '../mtls.ts';
import { decodeCursor, Page, PageQuery, pageLimit, toPage } from '../pagination.ts';

const tags = ['pki'];
const Binary = Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' });
const pemType = 'application/x-pem-file';

const wantsPem = (accept: string | undefined) =>
  /application\/x-pem-file|text\/plain|application\/x-x509-crl-pem/.test(accept ?? '');

export function pkiRoutes(app: ApiApp, ctx: PkiContext) {
  app.post(
    '/pki/users/:user/certificates',
    {
      config: { secretInResponse: 'a private key' },
      schema: {
        operationId: 'issueUserCertificate',
        tags,
        summary: 'Issue a client certificate for a user (yourself, or anyone as a platform admin)',
        description:
          'A zip of key.pem, cert.pem and ca_cert.pem (as ConPaaS get_user_certs). The key is generated here and never stored.',
        params: Type.Object({ user: Type.String({ minLength: 1, maxLength: 64, description: 'user id or username' }) }),
        response: { 201: Binary, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { serial, zip } = await issueUserCertificates(ctx, callerOf(request), request.params.user);
      return reply
        .code(201)
        .type('application/zip')
        .header('content-disposition', 'attachment; filename="certs.zip"')
        .header('x-certificate-serial', serial)
        .send(Buffer.from(zip));
    },
  );

  app.post(
    '/pki/csr',
    {
      schema: {
        operationId: 'signCertificateRequest',
        tags,
        summary: "Sign a manager's or agent's certificate request for a service your team owns",
        description:
          'The CSR key is certified; the subject is set by the CA: UID=<you>, role=<role>, serviceLocator=<service id>, CN=<role>-<service id>, O=Contrail.',
        body: Type.Object(
          {
            csr: Type.String({ minLength: 1, maxLength: 65536, description: 'PEM PKCS#10 request' }),
            role: ServiceRole,
            service: Type.String({ minLength: 1, maxLength: 64, description: 'resource id' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.String({ description: 'PEM certificate' }), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { serial, pem } = await signServiceCsr(ctx, callerOf(request), request.body);
      return reply.code(201).type(pemType).header('x-certificate-serial', serial).send(pem);
    },
  );

  app.get(
    '/pki/certificates',
    {
      schema: {
        tags,
        summary: 'List your certificates (platform admins: all)',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Certificate), ...commonErrors },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query.limit, ctx.config.api);
      const cursor = decodeCursor<string>(request.query.cursor, 'string');
      const after = cursor?.split('|') as [string, string] | undefined;
      const items = await listCertificates(ctx, callerOf(request), {
        after: after?.length === 2 ? after : undefined,
        limit: limit + 1,
      });
      return toPage(items, limit, (item) => `${item.createdAt}|${item.serial}`);
    },
  );

  app.post(
    '/pki/certificates/:serial/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke a certificate (your own, or any as a platform admin); it is in the CRL from now on',
        params: Type.Object({ serial: Type.String({ pattern: '^[0-9A-Fa-f]{1,40}$' }) }),
        response: { 200: Certificate, ...commonErrors },
      },
    },
    async (request) => revokeCertificate(ctx, callerOf(request), request.params.serial),
  );

  app.get(
    '/pki/crl',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The certificate revocation list: DER (application/pkix-crl), or PEM with Accept: application/x-pem-file',
        response: { 200: Binary },
      },
    },
    async (request, reply) => {
      const crl = await certificateRevocationList(ctx);
      // RFC 7468 labels a CRL "X509 CRL", as OpenSSL expects; the library writes "CRL".
      if (wantsPem(request.headers.accept))
        return reply.type(pemType).send(Buffer.from(x509.PemConverter.encode(crl.rawData, 'X509 CRL')));
      return reply.type('application/pkix-crl').send(Buffer.from(crl.rawData));
    },
  );

  app.get(
    '/pki/ca.pem',
    {
      config: { public: true },
      schema: { tags, summary: 'The CA certificate (PEM)', response: { 200: Type.String() } },
    },
    async (_request, reply) => reply.type(pemType).send(ctx.authority.certificatePem),
  );

  app.get(
    '/pki/identity',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Who your client certificate says you are (on the HTTPS listener); 401 with the reason otherwise',
        security: [{ mutualTLS: [] }],
        response: { 200: CertificateIdentity, 401: ProblemResponse },
      },
    },
    async (request) => requireCertificateIdentity(request),
  );
}
