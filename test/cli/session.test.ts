// Which server and token a command uses: flags, environment and the saved login.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveTarget } from '../../src/cli/session.ts';
import { scratchDir } from '../support/scratch.ts';

function savedLogin(config: object): NodeJS.ProcessEnv {
  const dir = scratchDir('cloudplane-session-');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { CLOUDPLANE_CONFIG_DIR: dir };
}

test('with nothing saved or set, the default local server and no token', () => {
  assert.deepEqual(resolveTarget({}, savedLogin({})), { url: 'http://127.0.0.1:8080', token: undefined });
});

test('the saved login gives url and token; flags win over it', () => {
  const env = savedLogin({ url: 'http://saved:1', token: 'saved-token' });
  assert.deepEqual(resolveTarget({}, env), { url: 'http://saved:1', token: 'saved-token' });
  assert.equal(resolveTarget({ token: 'flag-token' }, env).token, 'flag-token');
  assert.equal(resolveTarget({}, { ...env, CLOUDPLANE_TOKEN: 'env-token' }).token, 'env-token');
});

test('the saved url comes before CLOUDPLANE_URL, which comes before the default', () => {
  assert.equal(
    resolveTarget({}, { ...savedLogin({ url: 'http://saved:1' }), CLOUDPLANE_URL: 'http://env:2' }).url,
    'http://saved:1',
  );
  assert.equal(resolveTarget({}, { ...savedLogin({}), CLOUDPLANE_URL: 'http://env:2/' }).url, 'http://env:2');
});

test('the saved token is never sent to a different server', () => {
  const env = savedLogin({ url: 'http://saved:1', token: 'saved-token' });
  assert.deepEqual(resolveTarget({ url: 'http://elsewhere:3' }, env), { url: 'http://elsewhere:3', token: undefined });
});
