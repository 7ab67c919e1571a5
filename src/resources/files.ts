// A resource's files kept by its driver on this host (a job's logs and outputs), for members of its team.
import { resolve } from 'node:path';
import { conflict, notFound } from '../domain/errors.ts';
import type { ResourceFiles } from './context.ts';
import type { ResourceContext } from './context.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { runningStates, type State } from '../domain/states.ts';
import { findResourceState } from '../store/resources.ts';
import { findRow } from './resources.ts';

export async function filesOf(ctx: ResourceContext, caller: Caller, teamRef: string, id: string) {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  const row = await findRow(ctx.store.db, team.id, id);
  const files: ResourceFiles | undefined = ctx.drivers.files(row.driver, row.kind, resolve(ctx.config.engine.stateDir));
  if (!files) throw conflict(`the ${row.driver} driver keeps no files for a ${row.kind}`);
  return { row, files };
}

/** Whether a job's logs may still grow: it has not started yet, or it runs. */
export const mayStillWrite = async (ctx: ResourceContext, resourceId: string): Promise<boolean> =>
  runningStates.includes((await findResourceState(ctx.store.db, resourceId)) as State);

export async function taskLog(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  task: string,
  stream: 'stdout' | 'stderr',
) {
  const { row, files } = await filesOf(ctx, caller, teamRef, id);
  const log = (await files.logs(row.id)).find((entry) => entry.task === task);
  if (!log) throw notFound('log of task', task);
  return { path: log[stream], row };
}

export async function outputFile(ctx: ResourceContext, caller: Caller, teamRef: string, id: string, name: string) {
  const { row, files } = await filesOf(ctx, caller, teamRef, id);
  const path = await files.output(row.id, name);
  if (!path) throw notFound('output', name);
  return path;
}
