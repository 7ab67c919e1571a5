// `npm run bench` names the parts it knows when asked for one it does not, before starting anything.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const runScript = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));

test('an unknown BENCH_PARTS name fails the run, naming the parts there are', async () => {
  const run = promisify(execFile)(process.execPath, [runScript], {
    env: { ...process.env, BENCH_PARTS: 'http,no-such-part' },
  });
  const failure: any = await run.then(
    () => assert.fail('the run succeeded'),
    (error: unknown) => error,
  );
  assert.equal(failure.code, 1);
  assert.match(failure.stderr, /unknown BENCH_PARTS no-such-part; the parts are http/);
});
