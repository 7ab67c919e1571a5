// `cloud_env`: the Keystone credentials Concertim sends with each call (A.4), checked against cloudplane's users.
import { unauthorized } from '../../domain/errors.ts';
import type { ServiceContext } from '../../domain/context.ts';
import type { Caller } from '../../domain/caller.ts';
import { unknownUserHash, verifyPassword } from '../../identity/passwords.ts';
import { isUuid } from '../../lib/ids.ts';
import { findUserById, findUserByUsername } from '../../store/users.ts';
import { cloudAuthenticationError } from './errors.ts';
import { cloudEnvParameters, type CloudEnv } from './wire.ts';

type Parameter = (typeof cloudEnvParameters)[keyof typeof cloudEnvParameters];

/** The Keystone v3 and v2 password combinations, first match wins; anything else cannot build a session. */
const combinations: Parameter[][] = [
  ['auth_url', 'user_id', 'password', 'project_id'],
  ['auth_url', 'username', 'password', 'project_id', 'user_domain_name'],
  ['auth_url', 'username', 'password', 'project_name', 'user_domain_name', 'project_domain_name'],
  ['auth_url', 'user_id', 'password', 'project_name', 'project_domain_name'],
  ['auth_url', 'username', 'password', 'tenant_id'],
  ['auth_url', 'username', 'password', 'tenant_name'],
];

function sessionParameters(env: CloudEnv): Partial<Record<Parameter, string>> {
  const parameters: Partial<Record<Parameter, string>> = {};
  for (const [key, parameter] of Object.entries(cloudEnvParameters)) {
    const value = env[key];
    if (typeof value === 'string') parameters[parameter] = value;
  }
  const usable = combinations.some((combination) =>
    combination.every((parameter) => parameters[parameter] !== undefined),
  );
  if (!usable)
    throw cloudAuthenticationError(
      `Invalid set of authorization parameters when building session ${Object.keys(parameters).sort().join(', ') || '(none)'}`,
    );
  return parameters;
}

/** The cloudplane user the credentials name, as a caller with that user's rights (a platform admin's included). */
export async function callerFromCloudEnv(ctx: ServiceContext, env: CloudEnv): Promise<Caller> {
  const { user_id: userRef = '', username = '', password = '' } = sessionParameters(env);
  const db = ctx.store.db;
  const user =
    userRef !== ''
      ? await (isUuid(userRef) ? findUserById(db, userRef) : findUserByUsername(db, userRef))
      : await findUserByUsername(db, username);
  const ok = await verifyPassword(password, user?.password_hash ?? (await unknownUserHash));
  if (!user || !user.password_hash || !ok || user.disabled === 1)
    throw unauthorized('The request you have made requires authentication: invalid cloud_env user or password');
  const isAdmin = user.is_admin === 1;
  return {
    userId: user.id,
    username: user.username,
    isAdmin,
    scopes: isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'],
    tokenId: '',
  };
}

/** The project the credentials are scoped to (Keystone's session project): the team, by id or name. */
export const projectOf = (env: CloudEnv): string =>
  env.project_id ??
  env.admin_project_id ??
  env.admin_project_name ??
  env.admin_tenant_id ??
  env.admin_tenant_name ??
  '';

/** Who the calls without cloud_env act as (billing, quotas): Concertim itself, trusted by its JWT alone as the original was. */
export const concertimService: Caller = {
  userId: 'concertim',
  username: 'concertim',
  isAdmin: true,
  scopes: ['read', 'write', 'admin'],
  tokenId: '',
};
