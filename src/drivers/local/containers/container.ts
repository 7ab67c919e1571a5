// How a job's or server's image is run here (a bubblewrap rootfs, podman, or directly on the host) and the
// wrapping of each command accordingly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { findProgram } from '../processes/find-program.ts';

export interface ContainerOptions {
  /** Holds one rootfs directory per image: `alpine:3` is `<imageRoot>/alpine_3`. */
  imageRoot?: string;
  /** Which runtime may be used; `auto` (the default) prefers a bwrap rootfs, then podman. */
  containerRuntime?: 'auto' | 'bwrap' | 'podman';
}

export type Container =
  | { kind: 'host' }
  | { kind: 'bwrap'; program: string; rootfs: string }
  | { kind: 'podman'; program: string; image: string };

/** Where the resource's working directory appears to the command. */
export const containerWorkdir = (container: Container, hostWorkdir: string): string =>
  container.kind === 'host' ? hostWorkdir : '/work';

export const rootfsFor = (imageRoot: string, image: string): string =>
  path.join(imageRoot, image.replace(/[/:]/g, '_'));

const podmanHasImage = (program: string, image: string): boolean =>
  spawnSync(program, ['image', 'exists', image], { stdio: 'ignore', timeout: 30000 }).status === 0;

/** A container from what this host already has (a rootfs directory, a podman copy), or why there is none. */
export const localContainer = (
  image: string,
  hasCmd: boolean,
  options: ContainerOptions,
): { container: Container } | { whyNot: string } => {
  const allowed = options.containerRuntime ?? 'auto';
  const rootfs = options.imageRoot ? rootfsFor(options.imageRoot, image) : undefined;
  const bwrap = allowed !== 'podman' ? findProgram('bwrap') : undefined;
  const podman = allowed !== 'bwrap' ? findProgram('podman') : undefined;
  // A rootfs directory carries no image metadata, so only podman knows such an image's default command.
  if (bwrap && rootfs && existsSync(rootfs) && hasCmd) return { container: { kind: 'bwrap', program: bwrap, rootfs } };
  if (podman && podmanHasImage(podman, image)) return { container: { kind: 'podman', program: podman, image } };
  const why = [
    !rootfs
      ? 'no image root is configured'
      : !existsSync(rootfs)
        ? `no rootfs at ${rootfs}`
        : !bwrap
          ? 'no bwrap'
          : 'a rootfs has no default command and the job has no cmd',
    podman ? 'podman has no local copy of it' : 'no podman',
  ];
  return { whyNot: why.join(' and ') };
};

/** The mounts bubblewrap makes itself; the rootfs's own entries of these names are not used. */
const bwrapMounts = new Set(['dev', 'proc', 'tmp', 'work']);

/**
 * The root is a scratch tmpfs with the rootfs's top-level entries bound read-only into it: bwrap 0.8 cannot
 * overlay, and it cannot create mount points (/dev, /work) inside a read-only rootfs.
 */
const rootfsMounts = (rootfs: string): string[] =>
  readdirSync(rootfs, { withFileTypes: true })
    .filter((entry) => !bwrapMounts.has(entry.name))
    .flatMap((entry) => {
      const source = path.join(rootfs, entry.name);
      return entry.isSymbolicLink()
        ? ['--symlink', readlinkSync(source), `/${entry.name}`]
        : ['--ro-bind', source, `/${entry.name}`];
    });

/**
 * The argv that runs `argv` in the container. No new session and no --die-with-parent: the command must stay
 * in the supervisor's process group, which stop, pause and the runtime limit signal as a whole.
 */
export const containerCommand = (
  container: Container,
  argv: string[],
  env: Record<string, string>,
  hostWorkdir: string,
): string[] => {
  if (container.kind === 'host') return argv;
  if (container.kind === 'bwrap') {
    return [
      container.program,
      ...['--tmpfs', '/', ...rootfsMounts(container.rootfs), '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
      ...['--bind', hostWorkdir, '/work', '--chdir', '/work', '--unshare-pid', '--unshare-ipc', '--unshare-uts'],
      '--',
      ...argv,
    ];
  }
  return [
    container.program,
    ...['--runtime', 'runc', '--cgroup-manager', 'cgroupfs', 'run', '--rm', '--network', 'none'],
    ...['-v', `${hostWorkdir}:/work`, '-w', '/work'],
    ...Object.entries(env).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    container.image,
    ...argv,
  ];
};
