// `cloudplane worker`: runs the engine in this process (no HTTP), against the configured database.
import type { Command } from 'commander';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run engine workers against the configured database (same config file and variables as the server)')
    .option('-c, --config <file>', 'configuration file (default: $CLOUDPLANE_CONFIG)')
    .option('--workers <n>', 'operations run at once', (value) => Number.parseInt(value, 10))
    .action(async (options: { config?: string; workers?: number }) => {
      const { runWorker } = await import('../../worker.ts');
      await runWorker(options);
    });
}
