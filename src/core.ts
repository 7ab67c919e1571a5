// The core without HTTP: store, caches, change feed, kinds, drivers and the engine; shared by the
// server (src/server.ts) and by worker-only processes (`cloudplane worker`).
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/schema.ts';
import { createExternalDriver } from './drivers/external/external-driver.ts';
import { createLocalDriver } from './drivers/local/local-driver.ts';
import { DriverRegistry } from './drivers/registry.ts';
import { createSlurmDriver } from './drivers/slurm/driver.ts';
import { startBillingSweep } from './billing/sweep.ts';
import { Engine } from './engine/engine.ts';
import type { EngineContext } from './engine/context.ts';
import { ChangeFeed } from './store/change-feed.ts';
import { AccessCache } from './domain/access-cache.ts';
import { ensureBootstrapAdmin } from './identity/bootstrap.ts';
import type { KindDefinition } from './resources/kinds/kind.ts';
import { builtInKinds, checkDriverChoices, createKindRegistry, usageOfKinds } from './resources/kinds/registry.ts';
import { openStore } from './store/database.ts';
import { RenderedResources } from './resources/rendered.ts';

export interface Core {
  ctx: EngineContext;
  engine: Engine | undefined;
  /** Starts the engine's workers (when this process runs any). */
  start(log: FastifyBaseLogger): Promise<void>;
  close(): Promise<void>;
}

/** `kinds`: the kinds this process serves; the built-in ones unless a caller (a test, an embedding) adds its own. */
export async function buildCore(
  config: Config,
  announce: (message: string) => void,
  kindDefinitions: KindDefinition[] = builtInKinds,
): Promise<Core> {
  const kinds = createKindRegistry(kindDefinitions);
  checkDriverChoices(kinds, config.engine.drivers);
  const store = await openStore(config.database, usageOfKinds(kinds));
  const feed = new ChangeFeed(store.db, {}, store.reads.eventsAfter);
  const access = new AccessCache();
  const stopWatching = await access.watch(feed);
  const drivers = new DriverRegistry([
    createLocalDriver(config.engine.local),
    createExternalDriver(),
    createSlurmDriver({
      partition: config.engine.slurm.partition || undefined,
      pollIntervalMs: config.engine.slurm.pollIntervalMs,
    }),
  ]);
  const ctx: EngineContext = { store, config, feed, access, kinds, drivers, rendered: new RenderedResources() };
  await ensureBootstrapAdmin(ctx, announce);
  let engine: Engine | undefined;
  return {
    ctx,
    get engine() {
      return engine;
    },
    async start(log) {
      if (config.engine.workers === 0) return;
      engine = new Engine(ctx, log, [(engineLog) => startBillingSweep(ctx, engineLog)]);
      await engine.start();
    },
    async close() {
      await engine?.stop();
      stopWatching();
      feed.stop();
      await store.close();
    },
  };
}
