// Runs the real `cloudplane` command as a child process against a test server, in a clean environment.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { TestServer } from './server.ts';
import { scratchDir } from './scratch.ts';

export const cliBin = join(import.meta.dirname, '../../bin/cloudplane.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** No CLOUDPLANE_* from the outside, a config dir of its own, the admin's token unless env says otherwise. */
export function cliEnvironment(server: TestServer, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDPLANE_')));
  return {
    ...env,
    CLOUDPLANE_CONFIG_DIR: scratchDir('cloudplane-cli-'),
    CLOUDPLANE_URL: server.url,
    CLOUDPLANE_TOKEN: server.adminToken,
    ...extra,
  };
}

export function runCli(
  server: TestServer,
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cliBin, ...args],
      { env: cliEnvironment(server, options.env), cwd: options.cwd },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}
