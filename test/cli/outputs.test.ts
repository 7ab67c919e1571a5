// outputs: a job's declared files downloaded by the real CLI, a directory as a tar archive, progress with the
// size the server sends on a terminal and one plain line elsewhere, and an existing file never overwritten.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { cliBin, cliEnvironment, runCli } from '../support/cli.ts';
import { eventually } from '../support/eventually.ts';
import { scratchDir } from '../support/scratch.ts';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let job = '';
const team = 'cli-outputs';

before(async () => {
  server = await startServer('sqlite', { engine: { workers: 1 } });
  const token = server.adminToken;
  await server.call('POST', '/api/v1/teams', { token, body: { name: team } });
  const script = 'head -c 300000 /dev/zero | tr "\\\\0" x > big.txt; mkdir results; echo one > results/a.txt';
  const created = await server.call('POST', `/api/v1/teams/${team}/resources`, {
    token,
    body: {
      kind: 'job',
      name: 'producer',
      spec: { cmd: '/bin/sh', args: `-c '${script}'`, outputFiles: ['big.txt'], outputDirs: ['results'] },
    },
  });
  job = created.body.metadata.id;
  const done = await eventually(
    async () => (await server.call('GET', `/api/v1/teams/${team}/resources/${job}`, { token })).body.status,
    (status) => ['succeeded', 'failed'].includes(status.state),
    'the job ends',
  );
  assert.equal(done.state, 'succeeded', done.message);
});
after(() => server.close());

test('outputs writes a file where --out says, and says so in one plain line when not on a terminal', async () => {
  const out = join(scratchDir('cloudplane-outputs-'), 'copy.txt');
  const result = await runCli(server, ['outputs', team, job, 'big.txt', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(readFileSync(out, 'utf8'), 'x'.repeat(300000));
  assert.equal(result.stderr, `big.txt: 293.0 KiB written to ${out}\n`);
});

test('a directory output comes as its tar archive, named by the server, in the current directory', async () => {
  const dir = scratchDir('cloudplane-outputs-');
  const result = await runCli(server, ['outputs', team, job, 'results'], { cwd: dir });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(execFileSync('tar', ['-xOf', join(dir, 'results.tar'), 'results/a.txt'], { encoding: 'utf8' }), 'one\n');
});

test('on a terminal the progress line counts up to the size the server sent', async () => {
  const dir = scratchDir('cloudplane-outputs-');
  // script(1) gives the CLI a terminal, as when a person runs it; asynchronously, since the server is in this process.
  const command = `'${process.execPath}' '${cliBin}' outputs ${team} ${job} big.txt`;
  const { stdout } = await promisify(execFile)('script', ['-qfec', command, '/dev/null'], {
    cwd: dir,
    env: cliEnvironment(server),
    encoding: 'utf8',
  });
  assert.match(stdout, /downloading big\.txt: [\d.]+ (B|KiB) \/ 293\.0 KiB \(\d+%\)/);
  assert.match(stdout, /big\.txt: 293\.0 KiB written to big\.txt/);
  assert.equal(readFileSync(join(dir, 'big.txt'), 'utf8').length, 300000);
});

test('an existing file is never overwritten, and an output the job did not declare is the server error', async () => {
  const out = join(scratchDir('cloudplane-outputs-'), 'taken.txt');
  writeFileSync(out, 'keep me');
  const taken = await runCli(server, ['outputs', team, job, 'big.txt', '--out', out]);
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /already exists and is never overwritten/);
  assert.equal(readFileSync(out, 'utf8'), 'keep me');
  const missing = await runCli(server, ['outputs', team, job, 'nothing.txt', '--out', join(out, '..', 'n.txt')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: /);
});
