// `cloudplane billing ...` as a real child process against a real server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

const bin = join(import.meta.dirname, '../../bin/cloudplane.js');
let server: TestServer;

before(async () => {
  server = await startServer('sqlite');
  await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: 'cli-team' } });
});
after(() => server.close());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDPLANE_')));
  const credentials = {
    CLOUDPLANE_URL: server.url,
    CLOUDPLANE_TOKEN: server.adminToken,
    CLOUDPLANE_CONFIG_DIR: scratchDir('cloudplane-cli-'),
  };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'billing', ...args],
      { env: { ...env, ...credentials } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(args: string[]) {
  const result = await run(args);
  assert.equal(result.code, 0, `billing ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

test('grant, balance and ledger show money in the account currency', async () => {
  assert.match(
    await ok(['grant', '1250', '--account', 'team:cli-team', '--reason', 'welcome', '--reference', 'w1']),
    /granted:\s+12\.50/,
  );
  await ok(['grant', '1250', '--account', 'team:cli-team', '--reason', 'welcome', '--reference', 'w1']);
  assert.match(await ok(['balance', '--account', 'team:cli-team']), /balance:\s+12\.50 EUR/);
  const ledger = await ok(['ledger', '--account', 'team:cli-team']);
  assert.match(ledger, /grant\s+12\.50\s+w1\s+welcome/);
  assert.match(ledger, /1 of 1/);
  const json = JSON.parse(await ok(['ledger', '--account', 'team:cli-team', '--json']));
  assert.equal(json.total, 1);
});

test('invoice shows the draft by default, invoices lists finalized months, void voids one', async () => {
  assert.match(await ok(['invoice', '--account', 'team:cli-team']), /state:\s+draft/);
  assert.match(await ok(['invoice', '2024-01', '--account', 'team:cli-team']), /state:\s+final/);
  assert.match(await ok(['invoices', '--account', 'team:cli-team']), /2024-01\s+final\s+0\.00 EUR/);
  assert.match(await ok(['void', '2024-01', '--account', 'team:cli-team']), /state:\s+void/);
});

test('usage prints a row per month and kind, a month without usage included', async () => {
  const usage = await ok(['usage', '--account', 'team:cli-team', '--from', '2024-01', '--to', '2024-02']);
  assert.match(usage, /^MONTH\s+INVOICE\s+KIND\s+RESOURCES\s+USAGE\s+AMOUNT$/m);
  assert.match(usage, /^2024-02\s+-\s+-\s+0\s+-\s+0\.00 EUR$/m);
  const json = JSON.parse(await ok(['usage', '--account', 'team:cli-team', '--json']));
  assert.equal(json.months.length, 12);
  const bad = await run(['usage', '--from', '2024-13']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /not a month/);
});

test('failures name the reason and exit 1', async () => {
  const draft = await run(['void', 'draft', '--account', 'team:cli-team']);
  assert.equal(draft.code, 1);
  assert.match(draft.stderr, /error: a draft cannot be voided/);
  const badAmount = await run(['grant', '-5', '--account', 'me', '--reason', 'x']);
  assert.equal(badAmount.code, 1);
  assert.match((await run(['invoice', '2024-13'])).stderr, /not a month/);
});
