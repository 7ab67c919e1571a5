// Malformed bodies on the Concertim surface: each is a 4xx in handle_exception's JSON body, never a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { adminEnv, startConcertim, type ConcertimServer } from './concertim-client.ts';

const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const newTeam = (name: string) => JSON.stringify({ cloud_env: adminEnv, name });
const newUser = (username: string) =>
  JSON.stringify({ cloud_env: adminEnv, username, email: `${username}@example.org`, password: 'password' });

/** [what, method, path, content type (undefined: none), body]: the surface reads any content type as JSON. */
const malformed: [string, string, string, string | undefined, string | Buffer][] = [
  ['multipart/form-data without a boundary', 'POST', '/team', 'multipart/form-data', 'name=x'],
  [
    'multipart/form-data with a boundary',
    'POST',
    '/team',
    'multipart/form-data; boundary=b',
    '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
  ],
  ['a form', 'POST', '/team', 'application/x-www-form-urlencoded', 'name=x'],
  ['JSON nested 5,000 deep as the body', 'POST', '/team', 'application/json', deep(5000)],
  ['JSON nested 5,000 deep in a field', 'POST', '/team', 'application/json', `{"cloud_env":{},"name":${deep(5000)}}`],
  [
    'JSON nested 5,000 deep in cloud_env',
    'POST',
    '/team',
    'application/json',
    `{"cloud_env":{"user_id":${deep(5000)}},"name":"x"}`,
  ],
  [
    'JSON nested 5,000 deep on a GET with a body',
    'GET',
    '/key_pairs',
    'application/json',
    `{"cloud_env":${deep(5000)}}`,
  ],
  ['JSON nested 100,000 deep', 'POST', '/team', 'application/json', deep(100_000)],
  ['a charset other than UTF-8', 'POST', '/team', 'application/json; charset=latin-9', newTeam('latin')],
  [
    'a charset other than UTF-8 on a GET with a body',
    'GET',
    '/key_pairs',
    'application/json; charset=iso-8859-15',
    JSON.stringify({ cloud_env: adminEnv }),
  ],
  // A name Concertim does not keep: only the bytes are wrong, so decoding them loosely would answer 201.
  [
    'bytes that are not UTF-8',
    'POST',
    '/user',
    'application/json',
    Buffer.concat([Buffer.from(newUser('bytes').slice(0, -1)), Buffer.from(',"name":"caf\xe9"}', 'latin1')]),
  ],
  ['truncated JSON', 'POST', '/team', 'application/json', '{"cloud_env": {"user_id": "adm'],
  ['truncated JSON on a GET with a body', 'GET', '/team/limits', 'application/json', '{"cloud_env": {'],
  ['a JSON string instead of an object', 'POST', '/user', 'application/json', '"user"'],
  ['JSON null', 'DELETE', '/key_pairs', 'application/json', 'null'],
];

/** Routes that need a body answer 415 naming its keys when it is empty, whatever the content type. */
const emptyBodies = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'multipart/form-data',
  undefined,
];

for (const backend of backends()) {
  describe(`malformed input on the Concertim surface [${backend}]`, () => {
    let server: ConcertimServer;
    before(async () => {
      server = await startConcertim({}, {}, backend);
    });
    after(async () => {
      await server?.close();
    });

    const sendRaw = (method: string, path: string, contentType: string | undefined, body: string | Buffer) =>
      server.concertim(method, path, body, {
        headers: contentType === undefined ? { 'content-type': '' } : { 'content-type': contentType },
      });

    const assertConcertimError = (
      response: { status: number; headers: Headers; body: any; text: string },
      what: string,
    ) => {
      assert.ok(
        response.status >= 400 && response.status < 500,
        `${what}: ${response.status} ${response.text.slice(0, 200)}`,
      );
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, what);
      assert.equal(response.body.success, false, what);
      assert.equal(typeof response.body.error, 'string', what);
      assert.equal(typeof response.body.message, 'string', what);
      assert.equal(response.body.traceback, '', what);
    };

    for (const [what, method, path, contentType, body] of malformed) {
      test(`${what} (${method} ${path}) is a 4xx in Concertim's error body`, async () => {
        assertConcertimError(await sendRaw(method, path, contentType, body), what);
      });
    }

    for (const contentType of emptyBodies) {
      test(`an empty body with ${contentType ?? 'no content type'} on a route that needs one is a 415 naming its keys`, async () => {
        const response = await sendRaw('POST', '/team', contentType, '');
        assertConcertimError(response, String(contentType));
        assert.equal(response.status, 415);
        assert.equal(
          response.body.message,
          "415 - Call to API is missing required argument(s) -> ['cloud_env', 'name']",
        );
      });
    }

    for (const contentType of emptyBodies) {
      test(`an empty body with ${contentType ?? 'no content type'} on routes that need none succeeds`, async () => {
        for (const path of ['/statistics', '/']) {
          const response = await sendRaw('GET', path, contentType, '');
          assert.ok(response.status === 200 || response.status === 201, `${path}: ${response.status} ${response.text}`);
        }
      });
    }

    test('a body the JWT does not cover is never read: a malformed one without a token is a 401', async () => {
      const response = await server.concertim('POST', '/team', deep(5000), {
        token: 'nope',
        headers: { 'content-type': 'multipart/form-data' },
      });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'APIAuthenticationError');
    });
  });
}
