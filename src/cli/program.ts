// Assembles the `cloudplane` command line and reports any failure as `error: <detail>`, exit 1.
import { Command } from 'commander';
import { registerApply } from './commands/apply.ts';
import { registerAuth } from './commands/auth.ts';
import { registerBilling } from './commands/billing.ts';
import { registerInfo } from './commands/info.ts';
import { registerKeyPairs } from './commands/keypairs.ts';
import { registerGet } from './commands/get.ts';
import { registerMembers } from './commands/members.ts';
import { registerNamespaces } from './commands/namespaces.ts';
import { registerPki } from './commands/pki.ts';
import { registerResources } from './commands/resources.ts';
import { registerTeams } from './commands/teams.ts';
import { registerTokens } from './commands/tokens.ts';
import { registerUsers } from './commands/users.ts';
import { registerWatch } from './commands/watch.ts';
import { registerWork } from './commands/work.ts';
import { registerWorker } from './commands/worker.ts';
import { defaultUrl } from './session.ts';

export function buildProgram(): Command {
  const program = new Command('cloudplane')
    .description('command-line client for the cloudplane native API')
    .option('--url <url>', `server url (default: the saved login, else $CLOUDPLANE_URL, else ${defaultUrl})`)
    .option('--token <token>', 'bearer token (default: $CLOUDPLANE_TOKEN, else the saved login)')
    .option('--json', 'print the raw JSON the server returned')
    .showHelpAfterError();
  for (const register of [
    registerAuth,
    registerUsers,
    registerTeams,
    registerMembers,
    registerNamespaces,
    registerTokens,
    registerKeyPairs,
    registerPki,
    registerResources,
    registerApply,
    registerGet,
    registerBilling,
    registerWatch,
    registerInfo,
    registerWork,
    registerWorker,
  ]) {
    register(program);
  }
  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
