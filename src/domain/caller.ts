// Who is making a request, as established by authentication.
/** `agent`: may only report the status of resources its user's teams hold (for agents that own objects). */
export const scopes = ['read', 'write', 'admin', 'agent'] as const;
export type Scope = (typeof scopes)[number];

export interface Caller {
  userId: string;
  username: string;
  isAdmin: boolean;
  scopes: Scope[];
  tokenId: string;
}

export const roles = ['viewer', 'member', 'admin'] as const;
export type TeamRole = (typeof roles)[number];

export const roleRank = (role: string): number => roles.indexOf(role as TeamRole);

/** A platform admin acts with the admin scope only when the token carries it. */
export const actsAsPlatformAdmin = (caller: Caller): boolean => caller.isAdmin && caller.scopes.includes('admin');
