// Certificates for users (key generated here, handed over once as a zip) and for services' managers and agents (from a CSR).
import { strToU8, zipSync } from 'fflate';
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import { isUuid } from '../lib/ids.ts';
import * as store from '../store/pki.ts';
import { findUserById, findUserByUsername } from '../store/users.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { CertificateAuthority } from './authority.ts';
import { issueCertificate, validityFor, type CertificateRequest, type Validity } from './issue.ts';
import type { ServiceRole } from './models.ts';
import { parseCsr } from './csr.ts';
import { generateKeys, privateKeyPem } from './x509.ts';

export interface PkiContext extends ServiceContext {
  authority: CertificateAuthority;
}

/** How a subject names its user and service; identification never reads them: it goes by the register entry. */
export interface SubjectNames {
  uid: string;
  serviceLocator?: string;
}

export interface IssueOptions {
  /** Only tests choose the validity (to issue already-expired certificates); the API never does. */
  validity?: Validity;
  /** A dialect's own names for the user and service (ConPaaS: its integer uid and sid); cloudplane's ids by default. */
  names?: SubjectNames;
}

async function issueRecorded(ctx: PkiContext, caller: Caller | null, request: CertificateRequest) {
  return commitChange(ctx, async (db) => {
    const issued = await issueCertificate(db, ctx.authority, request);
    const { row } = issued;
    await recordEvent(db, caller, {
      type: 'certificate.issued',
      teamId: row.team_id,
      objectKind: 'certificate',
      objectId: row.serial,
      data: { role: row.role, subject: row.subject, userId: row.user_id, serviceId: row.service_id },
    });
    return issued;
  });
}

/** Users may get certificates for themselves; platform admins for anyone. Others are told the user does not exist. */
async function certifiableUser(ctx: ServiceContext, caller: Caller, ref: string) {
  const row = isUuid(ref) ? await findUserById(ctx.store.db, ref) : await findUserByUsername(ctx.store.db, ref);
  if (!row || (row.id !== caller.userId && !actsAsPlatformAdmin(caller))) throw notFound('user', ref);
  if (row.disabled) throw invalid(`user ${row.username} is disabled`, { field: 'user' });
  return row;
}

/** A zip of key.pem, cert.pem and ca_cert.pem, as ConPaaS's get_user_certs answers; the key is not kept. */
export async function issueUserCertificates(
  ctx: PkiContext,
  caller: Caller,
  userRef: string,
  options: IssueOptions = {},
): Promise<{ serial: string; zip: Uint8Array }> {
  const user = await certifiableUser(ctx, caller, userRef);
  const keys = await generateKeys();
  const { certificate, row } = await issueRecorded(ctx, caller, {
    role: 'user',
    subject: [
      ['UID', options.names?.uid ?? user.id],
      ['role', 'user'],
      ['serviceLocator', '0'],
      ['emailAddress', user.email],
      ['CN', user.username],
      ['O', 'Contrail'],
    ],
    publicKey: keys.publicKey,
    userId: user.id,
    issuedBy: caller.userId,
    validity: options.validity ?? validityFor(ctx.config.pki.certificateDays),
  });
  const zip = zipSync({
    'key.pem': strToU8(privateKeyPem(keys.privateKey)),
    'cert.pem': strToU8(certificate.toString('pem')),
    'ca_cert.pem': strToU8(ctx.authority.certificatePem),
  });
  return { serial: row.serial, zip };
}

export interface ServiceCsr {
  csr: string;
  role: ServiceRole;
  service: string;
}

/** The service must be a live resource of a team where the caller may change things. */
async function certifiableService(ctx: ServiceContext, caller: Caller, serviceId: string) {
  const row = isUuid(serviceId) ? await store.findLiveResource(ctx.store.db, serviceId) : undefined;
  if (!row) throw notFound('service', serviceId);
  try {
    await requireTeamRole(ctx, caller, row.team_id, 'member');
  } catch (error) {
    if ((error as { code?: string }).code === 'not-found') throw notFound('service', serviceId);
    throw error;
  }
  return row;
}

/** A manager's or agent's certificate for its service, to the caller; the subject is the CA's, never a CSR's. */
function serviceCertificateRequest(
  ctx: PkiContext,
  caller: Caller,
  service: { id: string; team_id: string },
  role: ServiceRole,
  publicKey: CertificateRequest['publicKey'],
  options: IssueOptions,
): CertificateRequest {
  const locator = options.names?.serviceLocator ?? service.id;
  return {
    role,
    subject: [
      ['UID', options.names?.uid ?? caller.userId],
      ['role', role],
      ['serviceLocator', locator],
      ['CN', `${role}-${locator}`],
      ['O', 'Contrail'],
    ],
    publicKey,
    userId: caller.userId,
    serviceId: service.id,
    teamId: service.team_id,
    issuedBy: caller.userId,
    validity: options.validity ?? validityFor(ctx.config.pki.certificateDays),
  };
}

/** Signs a manager's or agent's CSR with its own key. */
export async function signServiceCsr(
  ctx: PkiContext,
  caller: Caller,
  input: ServiceCsr,
  options: IssueOptions = {},
): Promise<{ serial: string; pem: string }> {
  const csr = await parseCsr(input.csr);
  const service = await certifiableService(ctx, caller, input.service);
  const { certificate, row } = await issueRecorded(
    ctx,
    caller,
    serviceCertificateRequest(ctx, caller, service, input.role, csr.publicKey, options),
  );
  return { serial: row.serial, pem: certificate.toString('pem') };
}

export interface ServiceCertificates {
  serial: string;
  cert: string;
  key: string;
  caCert: string;
}

/** A service's certificate with a key made here, as ConPaaS's director made each manager's; the key is handed over once, not kept. */
export async function issueServiceCertificates(
  ctx: PkiContext,
  caller: Caller,
  input: Omit<ServiceCsr, 'csr'>,
  options: IssueOptions = {},
): Promise<ServiceCertificates> {
  const service = await certifiableService(ctx, caller, input.service);
  const keys = await generateKeys();
  const { certificate, row } = await issueRecorded(
    ctx,
    caller,
    serviceCertificateRequest(ctx, caller, service, input.role, keys.publicKey, options),
  );
  return {
    serial: row.serial,
    cert: certificate.toString('pem'),
    key: privateKeyPem(keys.privateKey),
    caCert: ctx.authority.certificatePem,
  };
}

/** The listener's own certificate, for the configured names; its key stays in this process's memory. */
export async function issueServerCertificate(
  ctx: PkiContext,
  hostnames: string[],
): Promise<{ certificatePem: string; keyPem: string }> {
  const keys = await generateKeys();
  const { certificate } = await issueRecorded(ctx, null, {
    role: 'server',
    subject: [
      ['CN', hostnames[0]],
      ['O', 'Contrail'],
    ],
    publicKey: keys.publicKey,
    userId: null,
    issuedBy: null,
    hostnames,
    validity: validityFor(ctx.config.pki.certificateDays),
  });
  return { certificatePem: certificate.toString('pem'), keyPem: privateKeyPem(keys.privateKey) };
}
