// pki: the CA certificate, user certificates (a zip with the key), signing CSRs, the register, revocation and the CRL.
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { segment } from '../client.ts';
import { ApiError, UsageError } from '../errors.ts';
import { formatTable } from '../output.ts';
import { fetchAll } from '../pages.ts';
import { action, resolveTarget, type Session } from '../session.ts';

interface Certificate {
  serial: string;
  role: string;
  subject: string;
  state: string;
  notAfter: string;
  revokedAt: string | null;
}

/** The JSON client cannot carry zips and PEM: these calls read the raw body. */
async function rawCall(command: Command, method: string, path: string, body?: unknown): Promise<Buffer> {
  const { url, token } = resolveTarget(command.optsWithGlobals(), process.env);
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (path === '/pki/crl') headers.accept = 'application/x-pem-file';
  let response: Response;
  try {
    response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${(error as Error).message}`, { cause: error });
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!response.ok) {
    let detail = bytes.toString('utf8').trim();
    try {
      detail = JSON.parse(detail).detail ?? detail;
    } catch {
      // not a problem document: keep the text
    }
    throw new ApiError(response.status, detail || `${response.status} ${response.statusText}`);
  }
  return bytes;
}

/**
 * Never overwrites: the zip holds a private key, and an existing file may be another one. The file is
 * created before `produce` runs, so a taken path refuses before anything is issued; it goes again if that fails.
 */
async function writeNewFile(path: string, mode: number, produce: () => Promise<Buffer>): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(
      code === 'EEXIST'
        ? `${path} already exists and is never overwritten: nothing was asked of the server; remove it or choose another --out`
        : `cannot write ${path}: ${message}`,
    );
  }
  try {
    writeFileSync(fd, await produce());
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
}

function readCsr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

const printPemOrWrite = async (session: Session, pem: () => Promise<Buffer>, out: string | undefined, what: string) => {
  if (out === undefined) process.stdout.write(await pem());
  else {
    await writeNewFile(out, 0o644, pem);
    session.say(`${what} written to ${out}`);
  }
};

export function registerPki(program: Command) {
  const pki = program
    .command('pki')
    .description('the certificate authority: user certificates, CSR signing, revocation');
  for (const [name, path, what] of [
    ['ca', '/pki/ca.pem', 'CA certificate'],
    ['crl', '/pki/crl', 'certificate revocation list'],
  ]) {
    pki
      .command(name)
      .description(`print the ${what} (PEM)`)
      .option('--out <path>', 'write it to this file instead')
      .action((options: { out?: string }, command: Command) =>
        action((session) => printPemOrWrite(session, () => rawCall(command, 'GET', path), options.out, what))(command),
      );
  }
  pki
    .command('user-cert <user>')
    .description('issue a client certificate for a user: a zip of key.pem, cert.pem, ca_cert.pem')
    .option('--out <path>', 'where to write the zip (mode 0600, never overwritten)', 'certs.zip')
    .action((user: string, options: { out: string }, command: Command) =>
      action(async (session) => {
        await writeNewFile(options.out, 0o600, () =>
          rawCall(command, 'POST', `/pki/users/${segment(user)}/certificates`),
        );
        session.say(`certificates for ${user} written to ${options.out}`);
      })(command),
    );
  pki
    .command('sign <csr-file>')
    .description("sign a manager's or agent's certificate request for a service")
    .addOption(
      new Option('--role <role>', 'what the certificate is for').choices(['manager', 'agent']).makeOptionMandatory(),
    )
    .requiredOption('--service <id>', 'the service (resource id) it belongs to')
    .option('--out <path>', 'write the certificate here instead of printing it')
    .action((csrFile: string, options: { role: string; service: string; out?: string }, command: Command) =>
      action(async (session) => {
        const csr = readCsr(csrFile);
        const sign = () => rawCall(command, 'POST', '/pki/csr', { csr, role: options.role, service: options.service });
        await printPemOrWrite(session, sign, options.out, 'certificate');
      })(command),
    );
  pki
    .command('list')
    .description('list your certificates (platform admins: all)')
    .action(
      action(async (session) => {
        const page = await fetchAll<Certificate>(session.api, '/pki/certificates');
        session.print(page, () =>
          formatTable(page.items, [
            ['SERIAL', (c) => c.serial],
            ['ROLE', (c) => c.role],
            ['STATE', (c) => c.state],
            ['NOT AFTER', (c) => c.notAfter],
            ['SUBJECT', (c) => c.subject],
          ]),
        );
      }),
    );
  pki
    .command('revoke <serial>')
    .description('revoke a certificate; it is in the CRL from now on')
    .action(
      action(async (session, serial: string) => {
        const certificate = await session.api.post<Certificate>(
          `/pki/certificates/${segment(serial)}/revoke`,
          undefined,
        );
        session.print(certificate, () => `revoked ${certificate.serial} at ${certificate.revokedAt}\n`);
      }),
    );
}
