// The bench's cloudplane runs beside another one: every listener on a free port or none, its files in a temp dir.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type Server } from 'node:net';
import { test } from 'node:test';
import { startCloudplane } from '../../bench/servers.ts';

function hold(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined)); // already taken by someone else: taken all the same
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

test('the bench starts cloudplane while the default ports are taken, and removes its files when it stops', async () => {
  // The main port, Concertim's own and the HTTPS one, as a cloudplane already running here holds them.
  const held = await Promise.all([8080, 42356, 8443].map(hold));
  const env = { ...process.env };
  try {
    // A developer's settings must not reach the server under test.
    process.env.CLOUDPLANE_SERVER_PORT = '8080';
    process.env.CLOUDPLANE_DIALECTS_CONCERTIM_PORT = '42356';
    const server = await startCloudplane({}, 'bench-test-password');
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.notEqual(new URL(server.url).port, '8080');
    const childEnv = Object.fromEntries(
      readFileSync(`/proc/${server.pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    assert.equal(childEnv.CLOUDPLANE_DIALECTS_CONCERTIM_PORT, '0');
    const filesDir = dirname(childEnv.CLOUDPLANE_DATABASE_SQLITE_PATH);
    assert.equal(dirname(childEnv.CLOUDPLANE_ENGINE_STATE_DIR), filesDir);
    assert.equal(existsSync(childEnv.CLOUDPLANE_DATABASE_SQLITE_PATH), true);
    await server.stop();
    assert.equal(existsSync(`/proc/${server.pid}/stat`), false);
    assert.equal(existsSync(filesDir), false);
  } finally {
    process.env = env;
    for (const server of held) server?.close();
  }
});
