// A real OCI registry for the image tests (the one .ci/run starts, or one started here the same way) and a
// small busybox image built from local files and pushed to it, so no test reaches the internet.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { findProgram } from '../../src/drivers/local/processes/find-program.ts';

export interface TestRegistry {
  /** 127.0.0.1:<port> */
  address: string;
  /** The registry's log: one access line per request. */
  log: string;
}

const root = new URL('../../', import.meta.url).pathname;
const needed = ['docker-registry', 'skopeo', 'umoci', 'bwrap', 'busybox'];

export const missingImageTools = (): string[] => needed.filter((program) => !findProgram(program));

/** Why the image tests cannot run here, or undefined; in CI a missing tool is an error, never a skip. */
export function imageTestsSkipped(): string | undefined {
  const missing = missingImageTools();
  if (missing.length === 0) return undefined;
  if (process.env.CI) throw new Error(`CI must install ${missing.join(', ')}: image tests may not be skipped there`);
  return `needs ${missing.join(', ')} (CI installs them and never skips this)`;
}

/** CI's registry (CLOUDPLANE_TEST_REGISTRY), else one started for this test file and stopped after it. */
export function testRegistry(): TestRegistry {
  if (process.env.CLOUDPLANE_TEST_REGISTRY && process.env.CLOUDPLANE_TEST_REGISTRY_LOG)
    return { address: process.env.CLOUDPLANE_TEST_REGISTRY, log: process.env.CLOUDPLANE_TEST_REGISTRY_LOG };
  const exports = execFileSync('bash', [path.join(root, '.ci/start-registry.sh')], { encoding: 'utf8' });
  const address = /CLOUDPLANE_TEST_REGISTRY=(\S+)/.exec(exports)![1];
  const log = /CLOUDPLANE_TEST_REGISTRY_LOG=(\S+)/.exec(exports)![1];
  after(() => execFileSync('bash', [path.join(path.dirname(log), 'stop.sh')]));
  return { address, log };
}

const run = (program: string, args: string[]) => execFileSync(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Builds an image holding busybox (sh, echo, cat, true, sleep) whose default command prints `greeting`, pushes
 * it as <registry>/<repository>:<tag> and returns its manifest digest.
 */
export function pushBusyboxImage(registry: TestRegistry, repository: string, tag: string, greeting = 'hello'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'busybox-image-'));
  try {
    const image = `${path.join(dir, 'layout')}:${tag}`;
    run('umoci', ['init', '--layout', path.join(dir, 'layout')]);
    run('umoci', ['new', '--image', image]);
    run('umoci', ['unpack', '--rootless', '--image', image, path.join(dir, 'bundle')]);
    const bin = path.join(dir, 'bundle', 'rootfs', 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(findProgram('busybox')!, path.join(bin, 'busybox'));
    for (const tool of ['sh', 'echo', 'cat', 'true', 'sleep']) symlinkSync('busybox', path.join(bin, tool));
    run('umoci', ['repack', '--image', image, path.join(dir, 'bundle')]);
    run('umoci', [
      'config',
      '--image',
      image,
      ...['/bin/sh', '-c', `echo ${greeting}`].flatMap((arg) => ['--config.cmd', arg]),
    ]);
    const digestFile = path.join(dir, 'digest');
    run('skopeo', [
      'copy',
      '--dest-tls-verify=false',
      '--digestfile',
      digestFile,
      `oci:${image}`,
      `docker://${registry.address}/${repository}:${tag}`,
    ]);
    return readFileSync(digestFile, 'utf8').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many blobs (layers, configs) of `repository` the registry has served so far. */
export const blobDownloads = (registry: TestRegistry, repository: string): number =>
  readFileSync(registry.log, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`"GET /v2/${repository}/blobs/sha256:`)).length;
