// The local driver: every kind as real processes on this host, under one supervisor whose records
// outlive the server, so a restart re-adopts what runs instead of starting it again.
import { join } from 'node:path';
import type { Config } from '../../config/schema.ts';
import type { Driver, KindDriver } from '../driver.ts';
import { createLocalApplicationDriver } from './application.ts';
import { createLocalClusterDriver } from './cluster.ts';
import { createImageCache } from './images/image-cache.ts';
import { createLocalJobDriver } from './job/driver.ts';
import { jobLogPaths, jobOutputPath } from './job/files.ts';
import { createProcessSupervisor } from './processes/process-supervisor.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';
import { createLocalServerDriver } from './server.ts';
import { createLocalServiceDriver } from './service.ts';
import { createLocalStackDriver } from './stack.ts';

export function createLocalDriver(options: Config['engine']['local']): Driver {
  let kinds = new Map<string, KindDriver>();
  let supervisor: ProcessSupervisor | undefined;
  return {
    name: 'local',
    forKind: (kind) => kinds.get(kind),
    async start(host) {
      supervisor = createProcessSupervisor(join(host.stateDir, 'processes'));
      const stateDir = join(host.stateDir, 'local');
      const images = createImageCache({
        cacheDir: options.images.cacheDir,
        maxBytes: options.images.cacheMaxBytes,
        defaultRegistry: options.images.defaultRegistry,
        registries: options.images.registries,
      });
      const containers = { imageRoot: options.imageRoot, containerRuntime: options.containerRuntime, images };
      const servers = createLocalServerDriver(host, supervisor, {
        stateDir,
        defaultServerCommand: options.defaultServerCommand,
        ...containers,
      });
      kinds = new Map([
        ['server', servers],
        ['stack', createLocalStackDriver(host, supervisor, { servers })],
        ['service', createLocalServiceDriver(host, supervisor, { stateDir, catalogue: options.catalogue })],
        ['cluster', createLocalClusterDriver(host, supervisor, { stateDir })],
        ['application', createLocalApplicationDriver(host, supervisor, { stateDir })],
        [
          'job',
          createLocalJobDriver(host, supervisor, {
            workRoot: join(host.stateDir, 'jobs'),
            ...containers,
          }),
        ],
      ]);
      // Listeners are in place: exits that happened while the server was down are told now.
      const running = (await supervisor.adoptAll()).filter((status) => status.state === 'running');
      if (running.length > 0)
        host.log.info(
          { processes: running.map((status) => ({ key: status.key, pid: status.pid })) },
          `re-adopted ${running.length} local processes still running from before the restart`,
        );
    },
    files(kind, stateDir) {
      if (kind !== 'job') return undefined;
      const workRoot = join(stateDir, 'jobs');
      return {
        logs: (jobId) => jobLogPaths(workRoot, jobId),
        output: async (jobId, name) => jobOutputPath(workRoot, jobId, name),
      };
    },
    async stop() {
      await supervisor?.close();
    },
  };
}
