// First start: creates the platform admin; a generated one-time password is printed once, never stored in clear.
import type { ServiceContext } from '../domain/context.ts';
import { findUserByUsername } from '../store/users.ts';
import { generatePassword } from './passwords.ts';
import { createUser } from './users.ts';

export async function ensureBootstrapAdmin(ctx: ServiceContext, announce: (message: string) => void): Promise<void> {
  const { adminUsername, adminPassword, adminEmail } = ctx.config.bootstrap;
  if (await findUserByUsername(ctx.store.db, adminUsername)) return;
  const password = adminPassword || generatePassword();
  try {
    await createUser(ctx, null, { username: adminUsername, email: adminEmail, password, admin: true });
  } catch (error) {
    // Another process sharing the database created it first.
    if (await findUserByUsername(ctx.store.db, adminUsername)) return;
    throw error;
  }
  if (!adminPassword) {
    announce(
      `bootstrap admin "${adminUsername}" created; one-time password: ${password} (shown only now: log in and change it)`,
    );
  }
}
