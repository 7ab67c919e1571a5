// The commands a new user meets in the first hour: passwd, names for ids, quotas, --version, clear
// answers for empty lists and unknown kinds, and shell completion.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { runCli, type CliResult } from '../support/cli.ts';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;

before(async () => {
  // Stacks are owned by an agent here, so a test can report one failed.
  server = await startServer('sqlite', { engine: { drivers: { stack: 'external' } } });
});
after(() => server.close());

const cli = (args: string[], options?: Parameters<typeof runCli>[2]) => runCli(server, args, options);

function succeeded(result: CliResult, what: string): string {
  assert.equal(result.code, 0, `${what} failed: ${result.stderr}`);
  return result.stdout;
}

test('passwd changes your own password: the old one stops working, the new one logs in', async () => {
  const user = await server.user('cli-passwd');
  const env = { CLOUDPLANE_TOKEN: user.token };
  const wrong = await cli(['passwd', '--password-stdin'], { env, input: 'not-it\nnew-password-456\n' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /currentPassword is wrong/);
  const login = (password: string) =>
    server.call('POST', '/api/v1/auth/login', { body: { username: 'cli-passwd', password } });
  const current = (await server.call('GET', '/api/v1/users/cli-passwd', { token: server.adminToken })).status;
  assert.equal(current, 200);
  await server.call('PATCH', '/api/v1/users/cli-passwd', {
    token: server.adminToken,
    body: { password: 'first-password-123' },
  });
  const changed = await cli(['passwd', '--password-stdin'], { env, input: 'first-password-123\nnew-password-456\n' });
  assert.equal(succeeded(changed, 'passwd'), 'password changed for cli-passwd\n');
  assert.equal((await login('first-password-123')).status, 401);
  assert.equal((await login('new-password-456')).status, 200);
});

test('users and members are named by username as well as by id', async () => {
  const user = await server.user('cli-byname');
  assert.match(
    succeeded(await cli(['users', 'get', 'cli-byname']), 'users get'),
    new RegExp(`^id:\\s+${user.id}$`, 'm'),
  );
  assert.match(succeeded(await cli(['users', 'disable', 'cli-byname']), 'disable'), /^disabled:\s+true$/m);
  succeeded(await cli(['users', 'enable', 'cli-byname']), 'enable');
  succeeded(await cli(['teams', 'create', 'cli-byname-team']), 'team');
  succeeded(await cli(['members', 'add', 'cli-byname-team', 'cli-byname', '--role', 'viewer']), 'add');
  assert.match(
    succeeded(await cli(['members', 'set-role', 'cli-byname-team', 'cli-byname', 'member']), 'set-role'),
    /cli-byname\s+\S+\s+member/,
  );
  succeeded(await cli(['members', 'remove', 'cli-byname-team', 'cli-byname']), 'remove');
  const members = JSON.parse(succeeded(await cli(['members', 'list', 'cli-byname-team', '--json']), 'list'));
  assert.ok(!members.items.some((m: { userId: string }) => m.userId === user.id));
});

test('--version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8'));
  assert.equal(succeeded(await cli(['--version']), '--version'), `${version}\n`);
});

test('quotas shows use against limits; quotas set changes them', async () => {
  succeeded(await cli(['teams', 'create', 'cli-quotas']), 'team');
  await server.call('POST', '/api/v1/teams/cli-quotas/resources', {
    token: server.adminToken,
    body: { kind: 'stack', name: 'counted' },
  });
  const set = succeeded(
    await cli(['quotas', 'set', 'cli-quotas', '--max-cpus', '8', '--max-resources', 'stack=3']),
    'quotas set',
  );
  assert.match(set, /^cpus\s+0\s+8$/m);
  assert.match(succeeded(await cli(['quotas', 'cli-quotas']), 'quotas'), /^stack resources\s+1\s+3$/m);
});

test('an empty list says so; a failed resource shows why; an unknown kind lists the kinds once', async () => {
  succeeded(await cli(['teams', 'create', 'cli-lists']), 'team');
  assert.equal(succeeded(await cli(['resources', 'list', 'cli-lists']), 'list'), 'no resources\n');
  const unknown = await cli(['resources', 'create', 'cli-lists', '--kind', 'vm', '--name', 'x']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr.split('\n').length, 2, unknown.stderr);
  assert.match(unknown.stderr, /^error: unknown kind "vm"; known kinds: cluster, .*server/);
  const created = await server.call('POST', '/api/v1/teams/cli-lists/resources', {
    token: server.adminToken,
    body: { kind: 'stack', name: 'broken', id: '0190c9f4-0000-7000-8000-0000000000aa' },
  });
  const reported = await server.call('POST', `/api/v1/teams/cli-lists/resources/${created.body.metadata.id}/status`, {
    token: server.adminToken,
    body: { state: 'failed', message: 'the disk is full' },
  });
  assert.equal(reported.status, 200, reported.text);
  assert.match(
    succeeded(await cli(['resources', 'list', 'cli-lists']), 'list'),
    /\sbroken\s+failed\s.*the disk is full$/m,
  );
});

test('the bash completion script completes commands, subcommands and options', async () => {
  const script = succeeded(await cli(['completion', 'bash']), 'completion bash');
  const path = join(server.app.ctx.config.engine.stateDir, '..', 'completion.bash');
  writeFileSync(path, script);
  const complete = async (words: string[]) => {
    const line = `source ${path}; COMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _cloudplane; echo "\${COMPREPLY[*]}"`;
    return (await promisify(execFile)('bash', ['-c', line])).stdout.trim();
  };
  assert.equal(await complete(['cloudplane', 'resources', 'cr']), 'create');
  assert.equal(await complete(['cloudplane', 'resources', 'create', 'team', '--wa']), '--wait');
  assert.equal(await complete(['cloudplane', '--url', 'x', 'pas']), 'passwd');
  assert.match(succeeded(await cli(['completion', 'zsh']), 'completion zsh'), /^autoload -U \+X bashcompinit/);
});
