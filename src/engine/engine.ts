// The engine: workers that claim queued operations with a lease and run them, woken by new work.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { DriverHost, Observation } from '../drivers/driver.ts';
import { finishEmptiedContainers } from '../resources/cascade.ts';
import { claimNextOperation, renewLease, type OperationRow } from '../store/operations.ts';
import { listChildren } from '../store/resources.ts';
import { listenForWork } from '../store/notify.ts';
import type { Db } from '../store/db.ts';
import type { FastifyBaseLogger } from 'fastify';
import { toDriverResource } from './driver-resource.ts';
import { failSilentAgents } from './agent-timeouts.ts';
import { logResourceFailure } from './failure-log.ts';
import { changesAChild, observeParentOf } from './parent-status.ts';
import { reclaimExpiredLeases } from './expired-leases.ts';
import { purgeDeletedAfterSeconds, purgeDeletedResources } from './purge.ts';
import { reconcileAll } from './reconcile.ts';
import { runOperation } from './run-operation.ts';
import type { EngineContext } from './context.ts';
import { writeStatus } from '../resources/status.ts';

/** Work the composition root hands the engine to run beside its workers (the billing sweep); returns its stopper. */
export type PeriodicDuty = (log: FastifyBaseLogger) => () => Promise<void> | void;

const agentSweepMs = 1000;
/** How soon the work of a dead worker goes back to the queue once its lease has expired. */
const leaseSweepMs = 1000;

export class Engine {
  readonly owner = `worker-${randomUUID()}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private closers: (() => Promise<void> | void)[] = [];
  private ctx: EngineContext;
  private log: FastifyBaseLogger;
  private duties: PeriodicDuty[];

  constructor(ctx: EngineContext, log: FastifyBaseLogger, duties: PeriodicDuty[] = []) {
    this.ctx = ctx;
    this.log = log;
    this.duties = duties;
  }

  /** What drivers call back into. */
  host(): DriverHost {
    return {
      report: (resourceId, observation) => this.report(resourceId, observation),
      children: async (resourceId) => (await listChildren(this.ctx.store.db, resourceId)).map(toDriverResource),
      stateDir: resolve(this.ctx.config.engine.stateDir),
      log: this.log,
    };
  }

  async start(): Promise<void> {
    const host = this.host();
    for (const driver of this.ctx.drivers.all()) await driver.start(host);
    this.running = true;
    // Every engine process sharing the database sees (and logs) each failure.
    const unsubscribe = await this.ctx.feed.subscribe((event) => {
      logResourceFailure(this.log, event);
      if (changesAChild(this.ctx, event))
        observeParentOf(this.ctx, event.object_id).catch((error) =>
          this.log.warn({ err: error, resource: event.object_id }, "observing a resource's parent failed"),
        );
      if (event.type.startsWith('resource.')) this.wake();
    });
    this.closers.push(unsubscribe);
    if (this.ctx.store.dialect === 'postgres')
      this.closers.push(await listenForWork(this.ctx.config.database.url, () => this.wake()));
    await reconcileAll(this.ctx, this.log);
    const sweep = setInterval(() => void this.sweep(), this.ctx.config.engine.reconcileSeconds * 1000);
    sweep.unref();
    this.closers.push(() => clearInterval(sweep));
    if (this.ctx.config.engine.agentTimeoutSeconds > 0) {
      const sweep = setInterval(
        () => failSilentAgents(this.ctx).catch((error) => this.log.warn({ err: error }, 'agent timeout sweep failed')),
        agentSweepMs,
      );
      this.closers.push(() => clearInterval(sweep));
    }
    const leases = setInterval(
      () =>
        reclaimExpiredLeases(this.ctx).catch((error) =>
          this.log.warn({ err: error }, 'reclaiming expired leases failed'),
        ),
      leaseSweepMs,
    );
    this.closers.push(() => clearInterval(leases));
    for (const duty of this.duties) this.closers.push(duty(this.log));
    for (let i = 0; i < this.ctx.config.engine.workers; i++) this.loops.push(this.workLoop());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await Promise.all(this.loops);
    for (const close of this.closers) await close();
    for (const driver of this.ctx.drivers.all()) await driver.stop();
  }

  wake(): void {
    for (const waker of this.wakers) waker();
    this.wakers.clear();
  }

  private async report(resourceId: string, observation: Observation): Promise<void> {
    await this.ctx.store.transaction(async (db) => {
      const row = await writeStatus(db, this.ctx.kinds, resourceId, { observation });
      if (row?.state === 'deleted' && (await finishEmptiedContainers(db, null, row.team_id, row.namespace_id)))
        this.ctx.access.clear();
    });
    this.ctx.feed.poke();
  }

  /** Periodic upkeep besides the queue. */
  private async sweep(): Promise<void> {
    // A safety net: a change a driver missed (an exit seen by another process on this host) is still found.
    await reconcileAll(this.ctx, this.log, true).catch((error) =>
      this.log.warn({ err: error }, 'reconcile sweep failed'),
    );
    await purgeDeletedResources(this.ctx, purgeDeletedAfterSeconds(this.ctx)).catch((error) =>
      this.log.warn({ err: error }, 'purging deleted resources failed'),
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.add(done);
    });
  }

  private async workLoop(): Promise<void> {
    while (this.running) {
      let operation: OperationRow | undefined;
      try {
        operation = await this.claim();
      } catch (error) {
        this.log.warn({ err: error }, 'claiming an operation failed');
      }
      if (!operation) {
        await this.sleep(this.ctx.config.engine.pollIntervalMs);
        continue;
      }
      await this.withHeartbeat(operation, () => runOperation(this.ctx, operation, this.owner)).catch((error) =>
        // The lease expires and counts as a failed attempt: nothing is lost, nothing spins for ever.
        this.log.error({ err: error, operation: operation.id }, 'running an operation failed'),
      );
    }
  }

  private claim() {
    const now = Date.now();
    const leaseUntil = new Date(now + this.ctx.config.engine.leaseSeconds * 1000).toISOString();
    const claim = (db: Db) => claimNextOperation(db, this.owner, new Date(now).toISOString(), leaseUntil);
    // On SQLite through the store's transaction, so a claim shares its commit with the changes around it. On
    // PostgreSQL the one UPDATE is atomic alone: begin and commit would be two more round trips per claim.
    return this.ctx.store.dialect === 'postgres' ? claim(this.ctx.store.db) : this.ctx.store.transaction(claim);
  }

  /** Keeps the lease while the driver works, so a long operation is not taken over by another worker. */
  private async withHeartbeat(operation: OperationRow, work: () => Promise<void>) {
    const leaseMs = this.ctx.config.engine.leaseSeconds * 1000;
    const timer = setInterval(() => {
      renewLease(this.ctx.store.db, operation.id, this.owner, new Date(Date.now() + leaseMs).toISOString()).catch(
        () => {},
      );
    }, leaseMs / 3);
    try {
      await work();
    } finally {
      clearInterval(timer);
    }
  }
}
