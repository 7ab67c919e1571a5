// ConPaaS users are cloudplane users: a uid and a profile beside them, their credit the balance of their billing account.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ServiceContext } from '../../domain/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { ensureAccount, getAccount } from '../../billing/accounts.ts';
import { credit } from '../../billing/ledger.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { Email, Username } from '../../identity/models.ts';
import { createUser } from '../../identity/users.ts';
import { findUserByUsername } from '../../store/users.ts';
import { failure } from './errors.ts';
import { callerOf, type ConpaasCaller } from './auth.ts';
import { profileOf } from './ids.ts';
import { parseInteger } from './parameters.ts';
import type { UserDict } from './wire.ts';

/** Checked in this order, each missing or empty one answered by name, as the director did. */
export const newUserFields = [
  'username',
  'fname',
  'lname',
  'email',
  'affiliation',
  'password',
  'credit',
  'uuid',
] as const;

export async function userDict(ctx: ServiceContext, who: ConpaasCaller): Promise<UserDict> {
  const { user, profile } = who;
  const account = await getAccount(ctx, who.caller, 'me');
  return {
    uid: profile.uid,
    username: user.username,
    fname: profile.fname,
    lname: profile.lname,
    email: user.email,
    affiliation: profile.affiliation,
    // The director sent its MD5 hash here; no hash of any kind leaves cloudplane.
    password: null,
    credit: account.balance,
    created: user.created_at,
    uuid: profile.uuid,
  };
}

const usernameCheck = TypeCompiler.Compile(Username);
const emailCheck = TypeCompiler.Compile(Email);

/** The director's checks and messages, in its order; then the core's rules on usernames and e-mails. */
async function checkNewUser(ctx: ServiceContext, values: Record<string, string>): Promise<number> {
  for (const field of newUserFields) if (!values[field]) throw failure(`${field} is a required field`);
  const { username, credit: requested } = values;
  if (await findUserByUsername(ctx.store.db, username)) throw failure(`Username "${username}" already taken`);
  const amount = parseInteger(requested);
  if (amount === undefined) throw failure(`Required credit "${requested}" is not a valid integer.`);
  if (amount < 0) throw failure(`Required credit "${requested}" cannot be a negative integer.`);
  const max = ctx.config.dialects.conpaas.maxCredit;
  if (amount > max) throw failure(`Cannot allocate ${requested} credit for a new user (max credit ${max}).`);
  if (!usernameCheck.Check(username))
    throw failure(`Error upon user creation: username must be ${Username.description}`);
  if (!emailCheck.Check(values.email))
    throw failure(`Error upon user creation: "${values.email}" is not an e-mail address`);
  return amount;
}

/** The user, their profile, then their credit as a grant on their own account (at most maxCredit). */
export async function newUser(ctx: ResourceContext, values: Record<string, string>): Promise<UserDict> {
  const amount = await checkNewUser(ctx, values);
  const { username, email, password } = values;
  try {
    await createUser(ctx, null, { username, email, password });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict')
      throw failure(`Username "${username}" already taken`);
    throw error;
  }
  const user = (await findUserByUsername(ctx.store.db, username))!;
  const fields = {
    fname: values.fname,
    lname: values.lname,
    affiliation: values.affiliation,
    uuid: values.uuid === '<none>' ? '' : values.uuid,
  };
  const who: ConpaasCaller = { caller: callerOf(user), user, profile: await profileOf(ctx, user, fields) };
  if (amount > 0) {
    const account = await ensureAccount(ctx, { type: 'user', id: user.id });
    await credit(ctx, account.id, amount, {
      reason: 'ConPaaS new_user credit',
      reference: 'conpaas:new_user',
      actor: null,
    });
  }
  return userDict(ctx, who);
}
