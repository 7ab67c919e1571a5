// A worker-only process (`cloudplane worker`): the engine without HTTP, sharing the database with
// API processes; run several to scale (they coordinate through leases in PostgreSQL).
import pino from 'pino';
import { logDestination } from './api/log-output.ts';
import { loadConfig } from './config/load.ts';
import { buildCore } from './core.ts';

export async function runWorker(options: { config?: string; workers?: number }): Promise<void> {
  const config = loadConfig({ file: options.config });
  if (options.workers !== undefined) config.engine.workers = options.workers;
  if (config.engine.workers === 0) throw new Error('a worker process needs engine.workers of at least 1');
  const destination = logDestination(config.log.format);
  const log = destination ? pino({ level: config.log.level }, destination) : pino({ level: config.log.level });
  const core = await buildCore(config, (message) => log.info(message));
  await core.start(log);
  log.info(
    { owner: core.engine?.owner, workers: config.engine.workers, database: core.ctx.store.dialect },
    'worker started',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log.info('shutting down: engine workers, database');
  await core.close();
  log.info('stopped');
}
