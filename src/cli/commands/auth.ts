// login, logout and whoami: get a token, drop it, and show whose it is.
import type { Command } from 'commander';
import { createClient, segment } from '../client.ts';
import { readConfig, writeConfig } from '../config-file.ts';
import { ApiError, UsageError } from '../errors.ts';
import { formatFields } from '../output.ts';
import { promptHidden, promptLine, readPassword, readStdin } from '../prompt.ts';
import { action, type Session } from '../session.ts';
import type { User } from './users.ts';

interface Me {
  user: User;
  scopes: string[];
  tokenId: string;
}

async function login(session: Session, options: { username?: string; passwordStdin?: boolean }) {
  if (options.passwordStdin && options.username === undefined)
    throw new UsageError('--password-stdin needs --username');
  const username = options.username ?? (await promptLine('Username: '));
  const password = await readPassword(options.passwordStdin);
  // Log in without any token the environment or config may hold: this request must not depend on them.
  const anonymous = createClient(session.api.url, undefined);
  const answer = await anonymous.post<{ token: { token: string }; user: User }>('/auth/login', { username, password });
  writeConfig(session.env, { url: session.api.url, token: answer.token.token });
  session.print(
    { url: session.api.url, user: answer.user },
    () => `logged in to ${session.api.url} as ${answer.user.username}\n`,
  );
}

async function logout(session: Session) {
  const saved = readConfig(session.env);
  if (saved.token === undefined) {
    session.say('not logged in');
    return;
  }
  const api = createClient(saved.url ?? session.api.url, saved.token);
  try {
    const me = await api.get<Me>('/me');
    await api.delete(`/tokens/${segment(me.tokenId)}`);
  } catch (error) {
    // A token the server no longer accepts is as good as revoked; anything else must not be hidden.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  writeConfig(session.env, { url: api.url });
  session.say(`logged out of ${api.url}`);
}

async function whoami(session: Session) {
  const me = await session.api.get<Me>('/me');
  session.print(me, () =>
    formatFields([
      ['username', me.user.username],
      ['id', me.user.id],
      ['email', me.user.email],
      ['admin', me.user.admin],
      ['scopes', me.scopes],
      ['server', session.api.url],
    ]),
  );
}

/** From stdin: the current password on the first line, the new one on the second. */
async function readPasswordChange(fromStdin: boolean | undefined): Promise<[current: string, next: string]> {
  if (fromStdin) {
    const [current = '', next = ''] = (await readStdin()).split(/\r?\n/);
    if (next === '') throw new UsageError('--password-stdin expects the current password and the new one on two lines');
    return [current, next];
  }
  if (!process.stdin.isTTY)
    throw new UsageError('no password: pass --password-stdin, or run in a terminal to be prompted');
  const current = await promptHidden('Current password: ');
  const next = await promptHidden('New password: ');
  if ((await promptHidden('New password again: ')) !== next) throw new UsageError('the two new passwords differ');
  return [current, next];
}

async function passwd(session: Session, options: { passwordStdin?: boolean }) {
  const me = await session.api.get<Me>('/me');
  const [currentPassword, password] = await readPasswordChange(options.passwordStdin);
  await session.api.patch(`/users/${segment(me.user.id)}`, { currentPassword, password });
  session.say(`password changed for ${me.user.username}`);
}

export function registerAuth(program: Command) {
  program
    .command('login')
    .description('log in with a username and password and save the token')
    .option('--username <username>', 'who to log in as (prompted for when missing)')
    .option('--password-stdin', 'read the password from stdin instead of prompting')
    .action(action(login));
  program
    .command('logout')
    .description('revoke the saved token and forget it (the server url stays saved)')
    .action(action(logout));
  program
    .command('passwd')
    .description('change your password (prompted for, or two lines on stdin: current, then new)')
    .option('--password-stdin', 'read the current and the new password from stdin, one per line')
    .action(action(passwd));
  program.command('whoami').description('show the user and scopes of the current token').action(action(whoami));
}
