// The shapes identity objects take on the native API: each schema is also the type.
import { Type, type Static } from '@sinclair/typebox';
import { StateName } from '../domain/states.ts';
import { roles, scopes } from '../domain/caller.ts';

export const DeletionBlocker = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    state: StateName,
    message: Type.String({ description: 'why its deletion failed' }),
    since: Type.String({ description: 'when it last changed: the failure' }),
  },
  {
    description:
      'a resource whose deletion failed (retry budget spent, or failed by its agent); a new DELETE of the team or namespace retries it',
  },
);
export type DeletionBlocker = Static<typeof DeletionBlocker>;

export const Username = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$',
  description: '1-64 letters, digits, . _ @ -',
});
export const Password = Type.String({ minLength: 8, maxLength: 1024 });
export const Email = Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 });
export const TeamName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$',
  description: '1-63 letters, digits, space . _ -',
});
export const NamespaceName = Type.String({
  pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  description: 'a DNS label',
});
export const Role = Type.Union(roles.map((r) => Type.Literal(r)));
export const ScopeName = Type.Union(scopes.map((s) => Type.Literal(s)));

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  email: Type.String(),
  admin: Type.Boolean(),
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type User = Static<typeof User>;

export const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String({ description: 'login or api' }),
  scopes: Type.Array(ScopeName),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type Token = Static<typeof Token>;

export const TokenWithSecret = Type.Composite([
  Token,
  Type.Object({ token: Type.String({ description: 'shown once' }) }),
]);
export type TokenWithSecret = Static<typeof TokenWithSecret>;

export const Team = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  deletionRequestedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'set while its resources are being torn down',
  }),
  deletionBlockedBy: Type.Optional(
    Type.Array(DeletionBlocker, { description: 'while deletionRequestedAt is set: what holds the deletion up' }),
  ),
});
export type Team = Static<typeof Team>;

export const Member = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  email: Type.Optional(
    Type.String({ description: 'shown only to the member themself and to platform admins, as GET /users/{id} is' }),
  ),
  role: Role,
  createdAt: Type.String(),
});
export type Member = Static<typeof Member>;

export const Namespace = Type.Object({
  id: Type.String(),
  teamId: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  deletionRequestedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'set while its resources are being torn down',
  }),
  deletionBlockedBy: Type.Optional(
    Type.Array(DeletionBlocker, { description: 'while deletionRequestedAt is set: what holds the deletion up' }),
  ),
});
export type Namespace = Static<typeof Namespace>;
