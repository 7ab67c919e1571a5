// The `cloudplane` command line, run as a real child process against a real server.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminPassword, startServer, type TestServer } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

const bin = join(import.meta.dirname, '../../bin/cloudplane.js');
let server: TestServer;

before(async () => {
  server = await startServer('sqlite');
});
after(() => server.close());

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const freshDir = () => scratchDir('cloudplane-cli-');

/** A clean environment: no CLOUDPLANE_* from the outside, a config dir of its own. */
function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDPLANE_')));
  return { ...env, CLOUDPLANE_CONFIG_DIR: freshDir(), ...extra };
}

function run(
  args: string[],
  options: { env?: Record<string, string>; input?: string; asAdmin?: boolean } = {},
): Promise<Result> {
  const credentials: Record<string, string> =
    options.asAdmin === false ? {} : { CLOUDPLANE_URL: server.url, CLOUDPLANE_TOKEN: server.adminToken };
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: environment({ ...credentials, ...options.env }) },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(options.input ?? '');
  });
}

async function ok(args: string[], options?: Parameters<typeof run>[1]): Promise<string> {
  const result = await run(args, options);
  assert.equal(result.code, 0, `cloudplane ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const json = async (args: string[], options?: Parameters<typeof run>[1]) =>
  JSON.parse(await ok([...args, '--json'], options));

/** Starts a following command (`cloudplane watch ...`) and lets a test wait for lines to appear on its stdout. */
function startWatch(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
    env: environment({ CLOUDPLANE_URL: server.url, CLOUDPLANE_TOKEN: server.adminToken }),
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    output: () => stdout,
    until: (seen: (stdout: string) => boolean) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (seen(stdout)) resolve();
        };
        listeners.add(check);
        check();
        exited.then(() => reject(new Error(`watch exited before the expected output: ${stdout}${stderr}`)));
      }),
    async stop() {
      child.kill();
      await exited;
    },
  };
}

const count = (text: string, part: string) => text.split(part).length - 1;

test('login with --password-stdin saves a private token, and whoami uses it', async () => {
  const config = freshDir();
  const env = { CLOUDPLANE_CONFIG_DIR: config };
  const login = await ok(['--url', server.url, 'login', '--username', 'admin', '--password-stdin'], {
    env,
    input: `${adminPassword}\n`,
    asAdmin: false,
  });
  assert.match(login, /logged in to .* as admin/);
  assert.equal(statSync(join(config, 'config.json')).mode & 0o777, 0o600);
  assert.equal(statSync(config).mode & 0o777, 0o700);
  assert.equal(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')).url, server.url);
  assert.match(await ok(['whoami'], { env, asAdmin: false }), /^username:\s+admin$/m);
});

test('a wrong password exits 1 and saves nothing', async () => {
  const config = freshDir();
  const result = await run(['--url', server.url, 'login', '--username', 'admin', '--password-stdin'], {
    env: { CLOUDPLANE_CONFIG_DIR: config },
    input: 'wrong-password',
    asAdmin: false,
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: /);
  assert.throws(() => statSync(join(config, 'config.json')));
});

test('logout revokes the saved token on the server', async () => {
  const env = { CLOUDPLANE_CONFIG_DIR: freshDir() };
  await ok(['--url', server.url, 'login', '--username', 'admin', '--password-stdin'], {
    env,
    input: adminPassword,
    asAdmin: false,
  });
  const { token } = JSON.parse(readFileSync(join(env.CLOUDPLANE_CONFIG_DIR, 'config.json'), 'utf8'));
  assert.match(await ok(['logout'], { env, asAdmin: false }), /logged out/);
  assert.equal((await server.call('GET', '/api/v1/me', { token })).status, 401);
  assert.equal((await run(['whoami'], { env, asAdmin: false })).code, 1);
});

test('teams create and list show the team in an aligned table', async () => {
  await ok(['teams', 'create', 'cli-teams', '--description', 'made by the cli']);
  const lines = (await ok(['teams', 'list'])).trimEnd().split('\n');
  assert.match(lines[0], /^ID\s+NAME\s+DESCRIPTION$/);
  const row = lines.find((line) => line.includes('cli-teams'));
  assert.ok(row, 'the new team is listed');
  assert.equal(row.indexOf('cli-teams'), lines[0].indexOf('NAME'));
});

test('--json prints the raw response, which parses', async () => {
  const team = await json(['teams', 'create', 'cli-json']);
  assert.equal(team.name, 'cli-json');
  const page = await json(['teams', 'list']);
  assert.ok(page.items.some((t: { id: string }) => t.id === team.id));
  assert.equal(page.next, null);
});

test('members add puts a user in a team with a role', async () => {
  const user = await server.user('cli-member');
  await ok(['teams', 'create', 'cli-members']);
  await ok(['members', 'add', 'cli-members', 'cli-member', '--role', 'viewer']);
  const members = await json(['members', 'list', 'cli-members']);
  const added = members.items.find((m: { userId: string }) => m.userId === user.id);
  assert.deepEqual([added?.username, added?.role], ['cli-member', 'viewer']);
  assert.match(
    await ok(['members', 'set-role', 'cli-members', user.id, 'member']),
    /cli-member\s+cli-member@example\.org\s+member/,
  );
});

test('namespaces are created, listed and deleted', async () => {
  await ok(['teams', 'create', 'cli-namespaces']);
  await ok(['namespaces', 'create', 'cli-namespaces', 'staging']);
  assert.match(await ok(['namespaces', 'list', 'cli-namespaces']), /\sstaging\s/);
  await ok(['namespaces', 'delete', 'cli-namespaces', 'staging']);
  assert.deepEqual((await json(['namespaces', 'list', 'cli-namespaces'])).items, []);
});

test('tokens create prints the secret once; the token works until it is revoked', async () => {
  const output = await ok(['tokens', 'create', 'cli-token', '--scope', 'read', '--expires-in', '3600']);
  const secret = /^token:\s+(\S+)$/m.exec(output)?.[1];
  const id = /^id:\s+(\S+)$/m.exec(output)?.[1];
  assert.ok(secret && id, output);
  const me = await json(['whoami'], { env: { CLOUDPLANE_TOKEN: secret } });
  assert.deepEqual(me.scopes, ['read']);
  assert.ok(!(await ok(['tokens', 'list'])).includes(secret), 'list never shows secrets');
  await ok(['tokens', 'revoke', id]);
  const after = await run(['whoami'], { env: { CLOUDPLANE_TOKEN: secret } });
  assert.equal(after.code, 1);
});

test('keypairs create writes a generated private key to a 0600 file', async () => {
  const path = join(freshDir(), 'id_ed25519');
  const output = await ok(['keypairs', 'create', 'cli-generated', '--private-key-out', path]);
  assert.ok(!output.includes('PRIVATE KEY'), 'the key is not printed when written to a file');
  assert.match(readFileSync(path, 'utf8'), /BEGIN OPENSSH PRIVATE KEY/);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.match(await ok(['keypairs', 'list']), /cli-generated\s+ed25519\s+SHA256:/);
});

test('keypairs create imports a public key from a file', async () => {
  const generated = await json(['keypairs', 'create', 'cli-source']);
  const path = join(freshDir(), 'key.pub');
  writeFileSync(path, `${generated.publicKey}\n`);
  const imported = await json(['keypairs', 'create', 'cli-imported', '--public-key-file', path]);
  assert.equal(imported.fingerprint, generated.fingerprint);
  assert.equal(imported.privateKey, undefined);
  assert.equal((await json(['keypairs', 'get', 'cli-imported'])).id, imported.id);
});

test('resources: create with --spec, list by selector, get, delete', async () => {
  await ok(['teams', 'create', 'cli-resources']);
  const web = await json([
    'resources',
    'create',
    'cli-resources',
    '--kind',
    'job',
    '--name',
    'web',
    '--label',
    'app=web',
    '--spec',
    '{"cmd":"echo web"}',
  ]);
  await ok([
    'resources',
    'create',
    'cli-resources',
    '--kind',
    'job',
    '--name',
    'db',
    '--label',
    'app=db',
    '--spec',
    '{"cmd":"echo db"}',
  ]);
  assert.equal(web.spec.cmd, 'echo web');
  const listed = await ok(['resources', 'list', 'cli-resources', '--selector', 'app=web']);
  assert.match(listed, /\sweb\s/);
  assert.ok(!/\sdb\s/.test(listed), listed);
  assert.match(await ok(['resources', 'get', 'cli-resources', web.metadata.id]), /^ {2}cmd: echo web$/m);
  await ok(['resources', 'delete', 'cli-resources', web.metadata.id]);
  const remaining = await json(['resources', 'list', 'cli-resources']);
  assert.deepEqual(
    remaining.items.map((r: { metadata: { name: string } }) => r.metadata.name),
    ['db'],
  );
});

test('resources create reads a YAML spec file, and list --all follows the pages', async () => {
  await ok(['teams', 'create', 'cli-pages']);
  const path = join(freshDir(), 'spec.yaml');
  writeFileSync(path, 'cmd: echo from yaml\nnodes: 2\n');
  for (const name of ['one', 'two', 'three'])
    await ok(['resources', 'create', 'cli-pages', '--kind', 'job', '--name', name, '--spec-file', path]);
  const first = await json(['resources', 'list', 'cli-pages', '--limit', '2']);
  assert.equal(first.items.length, 2);
  assert.notEqual(first.next, null);
  const all = await json(['resources', 'list', 'cli-pages', '--limit', '2', '--all']);
  assert.deepEqual(
    all.items.map((r: { metadata: { name: string } }) => r.metadata.name),
    ['one', 'two', 'three'],
  );
  assert.equal(all.items[0].spec.nodes, 2);
});

test('an unknown team exits 1 with the problem detail on stderr', async () => {
  const result = await run(['teams', 'get', 'no-such-team']);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, '');
  const detail = (await server.call('GET', '/api/v1/teams/no-such-team', { token: server.adminToken })).body.detail;
  assert.equal(result.stderr, `error: ${detail}\n`);
});

test('watch prints an event for a resource created while it runs', { timeout: 30_000 }, async () => {
  await ok(['teams', 'create', 'cli-watch']);
  const watch = startWatch(['watch', '--team', 'cli-watch']);
  try {
    await watch.until((out) => out.includes('team.created'));
    const created = await json([
      'resources',
      'create',
      'cli-watch',
      '--kind',
      'job',
      '--name',
      'watched',
      '--spec',
      '{"cmd":"true"}',
    ]);
    await watch.until((out) => out.includes(`job/${created.metadata.id}`));
    assert.match(watch.output(), new RegExp(`resource\\.created\\s+job/${created.metadata.id}\\s+watched`));
  } finally {
    await watch.stop();
  }
});

test('watch resumes after a dropped connection without repeating events', { timeout: 30_000 }, async () => {
  await ok(['teams', 'create', 'cli-resume']);
  const watch = startWatch(['watch', '--team', 'cli-resume']);
  try {
    await watch.until((out) => out.includes('team.created'));
    server.app.http.server.closeAllConnections();
    const created = await json([
      'resources',
      'create',
      'cli-resume',
      '--kind',
      'job',
      '--name',
      'after-drop',
      '--spec',
      '{"cmd":"true"}',
    ]);
    await watch.until((out) => out.includes(`job/${created.metadata.id}`));
    assert.equal(count(watch.output(), 'team.created'), 1);
  } finally {
    await watch.stop();
  }
});

test(
  "resources watch prints the team's resource events only, and one resource's with its id",
  { timeout: 30_000 },
  async () => {
    await ok(['teams', 'create', 'cli-rwatch']);
    const create = (name: string) => json(['resources', 'create', 'cli-rwatch', '--kind', 'stack', '--name', name]);
    const first = await create('first');
    const all = startWatch(['resources', 'watch', 'cli-rwatch']);
    const one = startWatch(['resources', 'watch', 'cli-rwatch', first.metadata.id]);
    try {
      await all.until((out) => out.includes(`stack/${first.metadata.id}`));
      await one.until((out) => out.includes(`stack/${first.metadata.id}`));
      await ok(['namespaces', 'create', 'cli-rwatch', 'not-a-resource']);
      const second = await create('second');
      await ok(['resources', 'delete', 'cli-rwatch', first.metadata.id]);
      await all.until((out) => out.includes(`stack/${second.metadata.id}`) && out.includes('resource.delet'));
      await one.until((out) => out.includes('resource.delet'));
      assert.doesNotMatch(all.output(), /team\.created|namespace\.created/);
      assert.doesNotMatch(one.output(), new RegExp(second.metadata.id));
      assert.match(one.output(), new RegExp(`resource\\.created\\s+stack/${first.metadata.id}\\s+first`));
    } finally {
      await Promise.all([all.stop(), one.stop()]);
    }
  },
);

test('watch --object prints only the events about that object', { timeout: 30_000 }, async () => {
  await ok(['teams', 'create', 'cli-owatch']);
  const create = (name: string) => json(['resources', 'create', 'cli-owatch', '--kind', 'stack', '--name', name]);
  const first = await create('first');
  const watch = startWatch(['watch', '--object', first.metadata.id]);
  try {
    await watch.until((out) => out.includes(`stack/${first.metadata.id}`));
    const second = await create('second');
    await ok(['resources', 'delete', 'cli-owatch', first.metadata.id]);
    await watch.until((out) => out.includes('resource.delet'));
    assert.doesNotMatch(watch.output(), new RegExp(`team\\.created|${second.metadata.id}`));
  } finally {
    await watch.stop();
  }
});

test('resources watch of an unknown resource fails at once', async () => {
  await ok(['teams', 'create', 'cli-rwatch-none']);
  const result = await run(['resources', 'watch', 'cli-rwatch-none', '0190c9f4-0000-7000-8000-000000000000']);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error: resource .* not found/);
});
