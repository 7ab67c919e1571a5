// keypairs: generate or import SSH key pairs; a generated private key is handed over once.
import { readFileSync, writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { segment } from '../client.ts';
import { UsageError } from '../errors.ts';
import { formatFields, formatTable } from '../output.ts';
import { action, type Session } from '../session.ts';

interface KeyPair {
  id: string;
  name: string;
  type: string;
  publicKey: string;
  fingerprint: string;
  createdAt: string;
  privateKey?: string;
}

interface CreateOptions {
  type?: string;
  publicKeyFile?: string;
  privateKeyOut?: string;
}

function readPublicKey(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** Never overwrites: an existing file may be the only copy of another key. */
function writePrivateKey(path: string, privateKey: string) {
  try {
    writeFileSync(path, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new UsageError(`cannot write the private key to ${path}: ${(error as Error).message}`);
  }
}

const keyPairFields = (keyPair: KeyPair): [string, unknown][] => [
  ['name', keyPair.name],
  ['id', keyPair.id],
  ['type', keyPair.type],
  ['fingerprint', keyPair.fingerprint],
  ['public key', keyPair.publicKey],
];

async function create(session: Session, name: string, options: CreateOptions) {
  const body =
    options.publicKeyFile === undefined
      ? { name, type: options.type }
      : { name, publicKey: readPublicKey(options.publicKeyFile) };
  const { privateKey, ...keyPair } = await session.api.post<KeyPair>('/keypairs', body);
  if (privateKey !== undefined && options.privateKeyOut !== undefined) {
    writePrivateKey(options.privateKeyOut, privateKey);
    session.print(keyPair, () =>
      formatFields([...keyPairFields(keyPair), ['private key', `written to ${options.privateKeyOut}`]]),
    );
    return;
  }
  session.print(
    { ...keyPair, privateKey },
    () => formatFields(keyPairFields(keyPair)) + (privateKey === undefined ? '' : `\n${privateKey.trimEnd()}\n`),
  );
}

export function registerKeyPairs(program: Command) {
  const keypairs = program.command('keypairs').description('manage your SSH key pairs');
  keypairs
    .command('list')
    .description('list your key pairs')
    .action(
      action(async (session) => {
        const page = await session.api.get<{ items: KeyPair[] }>('/keypairs');
        session.print(page, () =>
          formatTable(page.items, [
            ['NAME', (k) => k.name],
            ['TYPE', (k) => k.type],
            ['FINGERPRINT', (k) => k.fingerprint],
            ['CREATED', (k) => k.createdAt],
          ]),
        );
      }),
    );
  keypairs
    .command('create <name>')
    .description('generate a key pair, or import a public key with --public-key-file')
    .addOption(
      new Option('--type <type>', 'key type to generate').choices(['ed25519', 'rsa']).conflicts('publicKeyFile'),
    )
    .option('--public-key-file <path>', 'import this OpenSSH public key instead of generating one')
    .addOption(
      new Option(
        '--private-key-out <path>',
        'write the generated private key here (mode 0600) instead of printing it',
      ).conflicts('publicKeyFile'),
    )
    .action(action(create));
  keypairs
    .command('get <name>')
    .description('show a key pair, by name or id')
    .action(
      action(async (session, name: string) => {
        const keyPair = await session.api.get<KeyPair>(`/keypairs/${segment(name)}`);
        session.print(keyPair, () => formatFields(keyPairFields(keyPair)));
      }),
    );
  keypairs
    .command('delete <name>')
    .description('delete a key pair')
    .action(
      action(async (session, name: string) => {
        await session.api.delete(`/keypairs/${segment(name)}`);
        session.say(`deleted key pair ${name}`);
      }),
    );
}
