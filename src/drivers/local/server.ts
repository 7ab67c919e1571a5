// Servers on the local driver, which models a machine as one supervised long-running process: the spec's
// command, or by default one that only sleeps; power actions then act on that process (SIGSTOP to suspend).
// A server with an image runs that process inside the image's root filesystem, as a job does.
import type { Static } from '@sinclair/typebox';
import type { serverKind } from '../../resources/kinds/server.ts';
import type { DriverHost, KindDriver } from '../driver.ts';
import { containerCommand, containerWorkdir } from './containers/container.ts';
import { containerForImage, type ImageContainer, type ImageOptions } from './containers/image-container.ts';
import { imageDetails } from './images/progress.ts';
import type { LaunchSpec, ProcessSupervisor } from './processes/supervisor.ts';
import { createProcessKindDriver } from './process-kind-driver.ts';
import { limitsFor, processEnv } from './launch-settings.ts';
import { fingerprintOf } from './resource-processes.ts';

type ServerSpec = Static<typeof serverKind.spec>;

export interface LocalServerOptions extends ImageOptions {
  /** The local driver's state directory; server records and working directories go under `server/`. */
  stateDir: string;
  /** Run for a server whose spec names no command; defaults to `sleep infinity`, a machine that idles. */
  defaultServerCommand?: string[];
}

/** status.details.image of a server with an image: where it came from and, when pulled, its digest. */
interface ServerFacts {
  image?: Record<string, unknown>;
}

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** In an image the image's own environment (its PATH above all) counts, never the host's. */
const serverEnv = (resourceId: string, { container, pulled }: ImageContainer, workdir: string) =>
  container.kind === 'host'
    ? processEnv({ CLOUDPLANE_SERVER: resourceId })
    : { PATH: basePath, ...pulled?.env, HOME: containerWorkdir(container, workdir), CLOUDPLANE_SERVER: resourceId };

export function createLocalServerDriver(
  host: DriverHost,
  supervisor: ProcessSupervisor,
  options: LocalServerOptions,
): KindDriver {
  const defaultCommand = options.defaultServerCommand ?? ['sleep', 'infinity'];
  return createProcessKindDriver<ServerFacts>(host, supervisor, options.stateDir, {
    kind: 'server',
    plan: async (resource, { workdir }) => {
      const spec = resource.spec as ServerSpec;
      // A machine booted from an image idles until used, so the image's own command is not what runs by default.
      const image = await containerForImage(spec.image, true, resource.id, options, (observation) =>
        host.report(resource.id, observation),
      );
      const env = serverEnv(resource.id, image, workdir);
      const launch: LaunchSpec = {
        key: `${resource.id}/server`,
        command: containerCommand(image.container, spec.command ?? defaultCommand, env, workdir),
        cwd: workdir,
        env,
        limits: limitsFor(spec.cpus, spec.memoryMiB),
      };
      const facts = spec.image === undefined ? {} : { image: imageDetails(spec.image, image.pulled) };
      return { processes: [{ spec: launch, fingerprint: fingerprintOf(launch) }], facts };
    },
    details: (resource, view) => {
      const status = view.processes[0]?.status;
      return {
        pid: status?.state === 'exited' ? null : (status?.pid ?? null),
        command: (resource.spec as ServerSpec).command ?? defaultCommand,
        enforcement: status?.enforcement ?? null,
        ...(view.record.facts.image ? { image: view.record.facts.image } : {}),
      };
    },
    // A removed server no longer holds its image: the cache may prune it.
    removed: (resourceId) => options.images?.release(resourceId) ?? Promise.resolve(),
  });
}
