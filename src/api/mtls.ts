// Client-certificate authentication: the HTTPS listener (same Fastify app), the hook that maps a
// presented certificate to its identity, and identityFromRequest for routes that need one.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issueServerCertificate, type PkiContext } from '../pki/certificates.ts';
import { CertificateError, identifyCertificate } from '../pki/identity.ts';
import type { CertificateIdentity } from '../pki/models.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the client certificate says the caller is; null without one or when it was not accepted. */
    certificateIdentity: CertificateIdentity | null;
    certificateError: CertificateError | null;
  }
}

const noCertificate = () =>
  new CertificateError(
    'no-certificate',
    'this needs a client certificate issued by this cloudplane CA, over the HTTPS listener',
  );

/** The identity of the request's client certificate, or why there is none; dialects map the error to their wire format. */
export const identityFromRequest = (request: FastifyRequest): CertificateIdentity | CertificateError =>
  request.certificateIdentity ?? request.certificateError ?? noCertificate();

/** For routes that accept certificates only: the identity, or the typed error thrown (a 401 problem on the native API). */
export function requireCertificateIdentity(request: FastifyRequest): CertificateIdentity {
  const identity = identityFromRequest(request);
  if (identity instanceof CertificateError) throw identity;
  return identity;
}

/** Plain HTTP requests pay one instanceof check; TLS requests with a certificate are checked against the CA and the register. */
export function registerCertificateIdentity(http: FastifyInstance, ctx: PkiContext) {
  http.decorateRequest('certificateIdentity', null);
  http.decorateRequest('certificateError', null);
  // Callback style, so a plain HTTP request does not pay for a promise.
  http.addHook('onRequest', (request, _reply, done) => {
    const socket = request.raw.socket;
    const peer = socket instanceof TLSSocket ? socket.getPeerX509Certificate() : undefined;
    if (!peer) return done();
    identifyCertificate(ctx, peer.raw).then((result) => {
      if (result instanceof CertificateError) request.certificateError = result;
      else request.certificateIdentity = result;
      done();
    }, done);
  });
}

export interface MtlsListener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the same app over HTTPS. The TLS layer asks for a certificate but accepts any (rejectUnauthorized
 * false), so the hook above can answer a clear problem instead of a failed handshake.
 */
export async function startMtlsListener(
  http: FastifyInstance,
  ctx: PkiContext,
  options: { host: string; port: number; hostnames: string[] },
): Promise<MtlsListener> {
  const { certificatePem, keyPem } = await issueServerCertificate(ctx, options.hostnames);
  const server = createServer(
    {
      key: keyPem,
      cert: certificatePem,
      ca: ctx.authority.certificatePem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (request, response) => http.routing(request, response),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  http.log.info(`HTTPS listener (client certificates) listening at https://${options.host}:${port}`);
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
