// PKI test helpers: servers with their CA in a temp dir and the HTTPS listener on, mTLS requests, CSRs.
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { Caller } from '../../src/domain/caller.ts';
import {
  generateKeys,
  privateKeyPem,
  signingAlgorithm,
  subjectName,
  x509,
  type SubjectField,
} from '../../src/pki/x509.ts';
import { backends, type Backend } from '../support/backends.ts';
import { startServer, type TestServer } from '../support/server.ts';

export interface PkiServer extends TestServer {
  pkiDir: string;
  httpsUrl: string;
  caPem: string;
}

export async function startPkiServer(
  backend: Backend,
  overrides: Record<string, Record<string, unknown>> = {},
  pki: Record<string, unknown> = {},
): Promise<PkiServer> {
  const pkiDir = await mkdtemp(join(tmpdir(), 'cloudplane-pki-'));
  const server = await startServer(backend, {
    ...overrides,
    pki: { dir: join(pkiDir, 'ca'), https: { enabled: true, host: '127.0.0.1', port: 0 }, ...pki },
  });
  const close = server.close;
  return Object.assign(server, {
    pkiDir: join(pkiDir, 'ca'),
    httpsUrl: `https://127.0.0.1:${server.app.mtls?.port}`,
    caPem: server.app.pki.authority.certificatePem,
    async close() {
      await close();
      await rm(pkiDir, { recursive: true, force: true });
    },
  });
}

export function forEachPkiBackend(title: string, suite: (server: () => PkiServer, backend: Backend) => void) {
  for (const backend of backends()) {
    describe(`${title} [${backend}]`, () => {
      let server: PkiServer;
      before(async () => {
        server = await startPkiServer(backend);
      });
      after(async () => {
        await server?.close();
      });
      suite(() => server, backend);
    });
  }
}

/** The bootstrap admin as a service-level caller, for issuing through the service with a chosen validity. */
export async function adminCaller(server: TestServer): Promise<Caller> {
  const admin = await server.call('GET', '/api/v1/me', { token: server.adminToken });
  return {
    userId: admin.body.user.id,
    username: 'admin',
    isAdmin: true,
    scopes: ['read', 'write', 'admin'],
    tokenId: 'test',
  };
}

export interface ClientCredentials {
  key: string;
  cert: string;
}

export function unzipCertificates(zip: Uint8Array): { key: string; cert: string; ca: string; names: string[] } {
  const files = unzipSync(zip);
  return {
    key: strFromU8(files['key.pem']),
    cert: strFromU8(files['cert.pem']),
    ca: strFromU8(files['ca_cert.pem']),
    names: Object.keys(files).sort(),
  };
}

export async function userCredentials(
  server: PkiServer,
  user: string,
  token = server.adminToken,
): Promise<ClientCredentials> {
  const response = await fetch(`${server.url}/api/v1/pki/users/${user}/certificates`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 201) throw new Error(`user certificate: ${response.status} ${await response.text()}`);
  return unzipCertificates(new Uint8Array(await response.arrayBuffer()));
}

export interface TlsResponse {
  status: number;
  body: any;
  contentType: string;
}

/** A real TLS connection to the HTTPS listener, trusting only our CA, presenting the given client certificate. */
export function mtlsCall(
  server: PkiServer,
  path: string,
  options: { credentials?: ClientCredentials; token?: string } = {},
): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
    const req = request(
      `${server.httpsUrl}${path}`,
      { ca: server.caPem, key: options.credentials?.key, cert: options.credentials?.cert, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          const contentType = String(res.headers['content-type'] ?? '');
          resolve({
            status: res.statusCode ?? 0,
            body: contentType.includes('json') ? JSON.parse(text) : text,
            contentType,
          });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A CSR with the given subject; `tamper` breaks its signature. */
export async function makeCsr(
  subject: [SubjectField, string][] = [['CN', 'manager-host']],
  options: { tamper?: boolean } = {},
) {
  const keys = await generateKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(subject),
    keys,
    signingAlgorithm,
  });
  let der = Buffer.from(csr.rawData);
  if (options.tamper) {
    der = Buffer.from(der);
    der[der.length - 3] ^= 0x01;
  }
  const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE REQUEST-----\n`;
  return { pem, key: privateKeyPem(keys.privateKey) };
}

/** A self-signed CA of somebody else, and a client certificate from it with a subject that looks like ours. */
export async function foreignCredentials(userId: string): Promise<ClientCredentials> {
  const caKeys = await generateKeys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: subjectName([
      ['CN', 'cloudplane CA'],
      ['O', 'Contrail'],
    ]),
    keys: caKeys,
    signingAlgorithm,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: subjectName([
      ['UID', userId],
      ['role', 'user'],
      ['serviceLocator', '0'],
      ['CN', 'mallory'],
      ['O', 'Contrail'],
    ]),
    issuer: ca.subjectName,
    publicKey: keys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm,
  });
  return { key: privateKeyPem(keys.privateKey), cert: cert.toString('pem') };
}
