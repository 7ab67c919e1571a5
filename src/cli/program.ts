// Assembles the `cloudplane` command line and reports any failure as `error: <detail>`, exit 1.
// A run loads only the module of the command it names: starting fast matters more than anything a
// command does not use. Help, completion and unknown commands load them all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { defaultUrl } from './session.ts';

type Register = (program: Command) => void;

/** Each module and the top-level commands it defines. */
const modules: [names: string[], load: () => Promise<Register>][] = [
  [['login', 'logout', 'whoami', 'passwd'], async () => (await import('./commands/auth.ts')).registerAuth],
  [['users'], async () => (await import('./commands/users.ts')).registerUsers],
  [['teams'], async () => (await import('./commands/teams.ts')).registerTeams],
  [['members'], async () => (await import('./commands/members.ts')).registerMembers],
  [['namespaces'], async () => (await import('./commands/namespaces.ts')).registerNamespaces],
  [['quotas'], async () => (await import('./commands/quotas.ts')).registerQuotas],
  [['tokens'], async () => (await import('./commands/tokens.ts')).registerTokens],
  [['keypairs'], async () => (await import('./commands/keypairs.ts')).registerKeyPairs],
  [['pki'], async () => (await import('./commands/pki.ts')).registerPki],
  [['resources'], async () => (await import('./commands/resources.ts')).registerResources],
  [['apply'], async () => (await import('./commands/apply.ts')).registerApply],
  [['get'], async () => (await import('./commands/get.ts')).registerGet],
  [['billing'], async () => (await import('./commands/billing.ts')).registerBilling],
  [['watch'], async () => (await import('./commands/watch.ts')).registerWatch],
  [['kinds', 'stats'], async () => (await import('./commands/info.ts')).registerInfo],
  [['act', 'operations', 'logs'], async () => (await import('./commands/work.ts')).registerWork],
  [['outputs'], async () => (await import('./commands/outputs.ts')).registerOutputs],
  [['worker'], async () => (await import('./commands/worker.ts')).registerWorker],
  [['completion'], async () => (await import('./commands/completion.ts')).registerCompletion],
];

const globalOptionsWithValue = ['--url', '--token'];

/** The first word that is neither a global option nor its value. */
function commandName(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (globalOptionsWithValue.includes(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

const version = () =>
  (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/** With args, only what they name (completion needs them all); without, every command. */
export async function buildProgram(args?: string[]): Promise<Command> {
  const program = new Command('cloudplane')
    .description('command-line client for the cloudplane native API')
    .version(version(), '-V, --version')
    .option('--url <url>', `server url (default: the saved login, else $CLOUDPLANE_URL, else ${defaultUrl})`)
    .option('--token <token>', 'bearer token (default: $CLOUDPLANE_TOKEN, else the saved login)')
    .option('--json', 'print the raw JSON the server returned')
    .showHelpAfterError();
  const name = args === undefined ? undefined : commandName(args);
  const needed = modules.filter(([names]) => name !== 'completion' && names.includes(name ?? ''));
  for (const [, load] of needed.length > 0 ? needed : modules) (await load())(program);
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv.slice(2))).parseAsync(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
