// users: platform admins list, create, disable, enable and delete accounts.
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { formatFields, formatTable, type Column } from '../output.ts';
import { fetchAll } from '../pages.ts';
import { readPassword } from '../prompt.ts';
import { action, type Session } from '../session.ts';

export interface User {
  id: string;
  username: string;
  email: string;
  admin: boolean;
  disabled: boolean;
  createdAt: string;
}

const columns: Column<User>[] = [
  ['ID', (u) => u.id],
  ['USERNAME', (u) => u.username],
  ['EMAIL', (u) => u.email],
  ['ADMIN', (u) => u.admin],
  ['DISABLED', (u) => u.disabled],
];

const showUser = (session: Session, user: User) =>
  session.print(user, () =>
    formatFields([
      ...columns.map(([header, value]): [string, unknown] => [header.toLowerCase(), value(user)]),
      ['created', user.createdAt],
    ]),
  );

async function setDisabled(session: Session, id: string, disabled: boolean) {
  showUser(session, await session.api.patch<User>(`/users/${segment(id)}`, { disabled }));
}

export function registerUsers(program: Command) {
  const users = program.command('users').description('manage user accounts (platform admins)');
  users
    .command('list')
    .description('list all users')
    .action(
      action(async (session) => {
        const page = await fetchAll<User>(session.api, '/users');
        session.print(page, () => formatTable(page.items, columns));
      }),
    );
  users
    .command('create <username>')
    .description('create a user; the password is prompted for or read from stdin')
    .requiredOption('--email <email>', 'their email address')
    .option('--password-stdin', 'read the password from stdin')
    .option('--admin', 'make them a platform admin')
    .action(
      action(
        async (session, username: string, options: { email: string; passwordStdin?: boolean; admin?: boolean }) => {
          const password = await readPassword(options.passwordStdin, `Password for ${username}: `);
          showUser(
            session,
            await session.api.post<User>('/users', {
              username,
              email: options.email,
              password,
              admin: options.admin === true,
            }),
          );
        },
      ),
    );
  users
    .command('get <id>')
    .description('show one user')
    .action(
      action(async (session, id: string) => showUser(session, await session.api.get<User>(`/users/${segment(id)}`))),
    );
  users
    .command('disable <id>')
    .description('stop a user from logging in or using their tokens')
    .action(action((session, id: string) => setDisabled(session, id, true)));
  users
    .command('enable <id>')
    .description('let a disabled user back in')
    .action(action((session, id: string) => setDisabled(session, id, false)));
  users
    .command('delete <id>')
    .description('delete a user')
    .action(
      action(async (session, id: string) => {
        await session.api.delete(`/users/${segment(id)}`);
        session.say(`deleted user ${id}`);
      }),
    );
}
