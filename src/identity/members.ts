// Team memberships and their roles; a team always keeps at least one admin.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { isUuid, nowIso } from '../lib/ids.ts';
import { userIdOf } from './users.ts';
import * as store from '../store/teams.ts';
import type { Db } from '../store/db.ts';
import { findUserById, findUserByUsername } from '../store/users.ts';
import { requireTeamRole } from './access.ts';
import { actsAsPlatformAdmin, type Caller, type TeamRole } from '../domain/caller.ts';
import type { Member } from './models.ts';

export async function listMembers(ctx: ServiceContext, caller: Caller, teamRef: string): Promise<Member[]> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  return (await store.listMemberships(ctx.store.db, team.id)).map((m) =>
    memberView(caller, { id: m.user_id, username: m.username, email: m.email }, m.role as TeamRole, m.created_at),
  );
}

/** A member as `caller` may see them: the e-mail only where GET /users/{id} would show it. */
function memberView(
  caller: Caller,
  user: { id: string; username: string; email: string },
  role: TeamRole,
  createdAt: string,
): Member {
  const member: Member = { userId: user.id, username: user.username, role, createdAt };
  if (caller.userId === user.id || actsAsPlatformAdmin(caller)) member.email = user.email;
  return member;
}

async function findUserByRef(db: Db, userRef: string) {
  const user = isUuid(userRef) ? await findUserById(db, userRef) : await findUserByUsername(db, userRef);
  if (!user) throw notFound('user', userRef);
  return user;
}

export async function addMember(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  userRef: string,
  role: TeamRole,
): Promise<Member> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  const user = await findUserByRef(ctx.store.db, userRef);
  const at = nowIso();
  try {
    await commitChange(
      ctx,
      async (db) => {
        await store.insertMembership(db, { team_id: team.id, user_id: user.id, role, created_at: at });
        await recordEvent(db, caller, {
          type: 'member.added',
          teamId: team.id,
          objectKind: 'member',
          objectId: user.id,
          data: { role },
        });
      },
      { changesAccess: true },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`${user.username} is already a member of ${team.name}`);
    throw error;
  }
  return memberView(caller, user, role, at);
}

async function ensureAnotherAdminRemains(db: Db, teamId: string, currentRole: string) {
  if (currentRole === 'admin' && (await store.countAdmins(db, teamId)) <= 1) {
    throw conflict('a team must keep at least one admin');
  }
}

export async function changeMemberRole(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  userRef: string,
  role: TeamRole,
) {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  const userId = await userIdOf(ctx.store.db, userRef);
  await commitChange(
    ctx,
    async (db) => {
      const membership = await store.findMembership(db, team.id, userId);
      if (!membership) throw notFound('member', userId);
      if (role !== 'admin') await ensureAnotherAdminRemains(db, team.id, membership.role);
      await store.updateMembershipRole(db, team.id, userId, role);
      await recordEvent(db, caller, {
        type: 'member.updated',
        teamId: team.id,
        objectKind: 'member',
        objectId: userId,
        data: { role },
      });
    },
    { changesAccess: true },
  );
  return (await listMembers(ctx, caller, team.id)).find((m) => m.userId === userId)!;
}

/** Admins remove anyone; any member may leave. */
export async function removeMember(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  userRef: string,
): Promise<void> {
  const userId = await userIdOf(ctx.store.db, userRef);
  const leaving = userId === caller.userId;
  const { team } = await requireTeamRole(ctx, caller, teamRef, leaving ? 'viewer' : 'admin');
  await commitChange(
    ctx,
    async (db) => {
      const membership = await store.findMembership(db, team.id, userId);
      if (!membership) throw notFound('member', userId);
      await ensureAnotherAdminRemains(db, team.id, membership.role);
      await store.deleteMembership(db, team.id, userId);
      await recordEvent(db, caller, {
        type: 'member.removed',
        teamId: team.id,
        objectKind: 'member',
        objectId: userId,
      });
    },
    { changesAccess: true },
  );
}
