// The README's shell examples from "A first session with the CLI" to the end of "Certificate authority",
// run as written, in order, by bash against a real server this test starts; a block that fails is named.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { runMain } from '../support/main-process.ts';
import { freePort } from '../support/process-server.ts';
import { killSupervisedProcesses } from '../support/processes.ts';
import { call } from '../support/server.ts';

const root = new URL('../../', import.meta.url).pathname;
const firstSection = '## A first session with the CLI';
const pastLastSection = '## Dialects';
/** A block the test cannot run says why, on the line before its fence. */
const skipMark = /^<!-- readme-test: skip: (.+) -->$/;

interface Block {
  name: string;
  code: string;
  skip?: string;
}

/** The ```sh blocks of the sections run here, each named by its section and README line. */
function readmeBlocks(): Block[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const blocks: Block[] = [];
  let section = '';
  let inScope = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^##+ /.test(lines[i])) section = lines[i].replace(/^#+ /, '');
    if (lines[i] === firstSection) inScope = true;
    if (lines[i].startsWith(pastLastSection)) break;
    if (!lines[i].startsWith('```')) continue;
    const start = i;
    const end = lines.indexOf('```', i + 1);
    if (inScope && lines[i] === '```sh')
      blocks.push({
        name: `"${section}", README.md line ${start + 1}`,
        code: lines.slice(start + 1, end).join('\n'),
        skip: skipMark.exec(lines[start - 1] ?? '')?.[1],
      });
    i = end;
  }
  return blocks;
}

/** The variables the blocks assign, carried from one block's bash to the next. */
const assignedNames = (blocks: Block[]) => [
  ...new Set(blocks.flatMap((block) => [...block.code.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]))),
];

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** A block as bash runs it: the previous blocks' variables, then the block with the test's values for the README's placeholders. */
function script(block: Block, names: string[], state: string, values: Record<string, string>): string {
  const code = block.code.replace(/^([A-Za-z_][A-Za-z0-9_]*)=.*$/gm, (line, name: string) =>
    name in values ? `${name}=${shellQuote(values[name])}` : line,
  );
  return [
    'set -eo pipefail',
    // An HTTP error answer is a failed example, not text to read past.
    'curl() { command curl --fail-with-body "$@"; }',
    `[ -f ${state} ] && source ${state}`,
    code,
    `declare -p ${names.join(' ')} > ${state} 2>/dev/null || true`,
  ].join('\n');
}

async function runBash(code: string, cwd: string, env: NodeJS.ProcessEnv) {
  const bash = spawn('bash', ['-c', code], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  bash.stdout.on('data', (chunk) => (output += chunk));
  bash.stderr.on('data', (chunk) => (output += chunk));
  // A block that hangs (a loop waiting for a state never reached) is a failure, not a stuck suite.
  const timer = setTimeout(() => bash.kill('SIGKILL'), 180_000);
  const [code_] = await once(bash, 'exit');
  clearTimeout(timer);
  return { status: code_ as number | null, output };
}

/** npm runs the CLI from the repository's package.json; the examples' files land in a scratch directory instead. */
function workspace(dir: string): string {
  const work = join(dir, 'work');
  mkdirSync(work);
  for (const entry of ['package.json', 'bin', 'node_modules']) symlinkSync(join(root, entry), join(work, entry));
  return work;
}

test('every README example from the first session to the certificate authority runs as written, in order', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-readme-'));
  const [port, httpsPort] = [await freePort(), await freePort()];
  const stateDir = join(dir, 'state');
  const server = runMain({
    CLOUDPLANE_SERVER_HOST: '127.0.0.1',
    PORT: String(port),
    CLOUDPLANE_LOG_LEVEL: 'warn',
    CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
    CLOUDPLANE_ENGINE_STATE_DIR: stateDir,
    CLOUDPLANE_PKI_DIR: join(dir, 'pki'),
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
    CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
    CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_PORT: String(httpsPort),
  });
  t.after(async () => {
    await server.stop();
    killSupervisedProcesses(stateDir);
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  const password = /one-time password: (\S+)/.exec(await server.waitFor(/one-time password: \S+/, 'bootstrap'))![1];
  await eventually(
    () =>
      call(url, 'GET', '/readyz').then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    'server ready',
  );

  const home = join(dir, 'home');
  mkdirSync(home);
  const inherited = Object.entries(process.env).filter(([name]) => !/^(CLOUDPLANE_|XDG_CONFIG_HOME$)/.test(name));
  const env = {
    ...Object.fromEntries(inherited),
    HOME: home,
    CLOUDPLANE_URL: url,
    npm_config_update_notifier: 'false',
  };
  const values = { PASSWORD: password, API: `${url}/api/v1`, HTTPS: `https://localhost:${httpsPort}` };
  const blocks = readmeBlocks();
  const names = assignedNames(blocks);
  for (const name of Object.keys(values)) assert.ok(names.includes(name), `the README no longer defines ${name}`);
  const work = workspace(dir);
  const state = join(dir, 'variables.sh');
  let failed: string | undefined;
  for (const block of blocks) {
    const skip = block.skip ?? (failed && `the earlier block ${failed} failed`);
    await t.test(block.name, { skip }, async () => {
      const result = await runBash(script(block, names, state, values), work, env);
      if (result.status !== 0) failed = block.name;
      assert.equal(
        result.status,
        0,
        `the README block at ${block.name} failed:\n${block.code}\n--- it printed:\n${result.output}`,
      );
    });
  }
});
