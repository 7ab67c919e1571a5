// What a manager certificate may do: take credit from its service's owner, and stop its own service.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ensureAccount } from '../../billing/accounts.ts';
import { InsufficientCredit } from '../../billing/errors.ts';
import { debit } from '../../billing/ledger.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { refused } from './errors.ts';
import { certificateManager, type ConpaasCaller } from './auth.ts';
import { sidOf } from './ids.ts';
import { parseInteger } from './parameters.ts';
import { ownedResource, stopService } from './services.ts';
import { existingTeam } from './team.ts';

export type Manager = ConpaasCaller & { serviceId: string; sid: number };

/** The certificate's service must be a live service in its user's ConPaaS team; else `false`. */
export async function managedService(ctx: ResourceContext, request: FastifyRequest): Promise<Manager> {
  const manager = await certificateManager(ctx, request);
  const teamId = await existingTeam(ctx, manager);
  const owned = teamId && (await ownedResource(ctx, manager, teamId, manager.serviceId));
  if (!owned) throw refused();
  return { ...manager, sid: await sidOf(ctx, manager.serviceId) };
}

/** Takes `decrement` from the service owner's account; never below zero, and a refused charge changes nothing. */
export async function decrementCredit(ctx: ResourceContext, manager: Manager, decrement: number): Promise<boolean> {
  if (decrement === 0) return true;
  const account = await ensureAccount(ctx, { type: 'user', id: manager.user.id });
  try {
    await debit(ctx, account.id, decrement, {
      type: 'callback',
      reason: `ConPaaS service ${manager.sid}: decrementUserCredit`,
      reference: `conpaas:decrement:${randomUUID()}`,
      actor: manager.caller,
    });
    return true;
  } catch (error) {
    if (error instanceof InsufficientCredit) return false;
    throw error;
  }
}

/** The service named must be the certificate's own: `sid`, or `aid` as later directors send it (both must match when both are sent). */
export function namesOwnService(manager: Manager, values: Record<string, string>): boolean {
  const named = [values.sid, values.aid].filter((id) => id !== undefined);
  return named.length > 0 && named.every((id) => parseInteger(id) === manager.sid);
}

/**
 * The director's terminate(): the certificate's service is stopped. Its own service already gone counts as done,
 * so the manager's retries end; a sid that is not the certificate's is refused.
 */
export async function terminateOwnService(
  ctx: ResourceContext,
  request: FastifyRequest,
  values: Record<string, string>,
): Promise<boolean> {
  const identity = await certificateManager(ctx, request);
  const sid = await sidOf(ctx, identity.serviceId);
  if (!namesOwnService({ ...identity, sid }, values)) return false;
  const teamId = await existingTeam(ctx, identity);
  const owned = teamId && (await ownedResource(ctx, identity, teamId, identity.serviceId));
  if (!owned) return true;
  return stopService(ctx, identity, sid);
}
