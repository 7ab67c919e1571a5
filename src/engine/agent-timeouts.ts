// Fails the resources of agents that went silent, when the operator asked for it (engine.agentTimeoutSeconds).
import { unfinishedStates } from '../domain/states.ts';
import { writeStatus } from '../resources/status.ts';
import { listSilentExternalResources } from '../store/resources.ts';
import type { EngineContext } from './context.ts';

export async function failSilentAgents(ctx: EngineContext): Promise<number> {
  const timeoutSeconds = ctx.config.engine.agentTimeoutSeconds;
  if (timeoutSeconds === 0) return 0;
  const silentSince = new Date(Date.now() - timeoutSeconds * 1000).toISOString();
  const silent = await listSilentExternalResources(ctx.store.db, unfinishedStates, silentSince);
  for (const row of silent) {
    const message = `no report from its agent since ${row.updated_at} (timeout ${timeoutSeconds} s)`;
    await ctx.store.transaction((db) =>
      writeStatus(db, ctx.kinds, row.id, { observation: { state: 'failed', message } }),
    );
  }
  if (silent.length > 0) ctx.feed.poke();
  return silent.length;
}
