// Malformed bodies on every okeanos route that reads one: always a 4xx in DRF's words ({"detail"} or
// {"errors":[...]}), never a 5xx. The request is authenticated, since DRF authenticates before it parses.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import type { TestServer } from '../../support/server.ts';
import { applicationBody, instanceBody, nativeToken, startOkeanos } from './support.ts';

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number, key = 'a') => `{"${key}":`.repeat(depth) + '1' + '}'.repeat(depth);
const withDeepField = (body: object, field: string) =>
  JSON.stringify({ ...body, [field]: '@' }).replace('"@"', deepObject(5000));

/** [what, content type, body] for a route that takes `body` (a valid one). */
const malformedBodies = (body: object): [string, string, string][] => [
  ['multipart/form-data without a boundary', 'multipart/form-data', 'uuid=x&name=y'],
  ['JSON arrays nested 5,000 deep', 'application/json', deepArray(5000)],
  ['JSON objects nested 5,000 deep', 'application/json', deepObject(5000)],
  ['"__proto__" keys nested 5,000 deep', 'application/json', deepObject(5000, '__proto__')],
  ['a valid body with a field nested 5,000 deep', 'application/json', withDeepField(body, Object.keys(body)[2])],
  ['a wrong charset', 'application/json; charset=latin-9', JSON.stringify(body)],
  ['truncated JSON', 'application/json', JSON.stringify(body).slice(0, 25)],
  ['an empty body with application/json', 'application/json', ''],
  ['an empty body with text/plain', 'text/plain', ''],
  ['an empty body with application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', ''],
];

/** DRF's own `{"detail": ...}` or the central service's `{"errors":[{"status","detail"}]}`. */
function assertDrfError(status: number, text: string, contentType: string | null) {
  assert.equal(contentType, 'application/json');
  const body = JSON.parse(text);
  const isDetail = Object.keys(body).join() === 'detail' && typeof body.detail === 'string';
  const isErrors =
    Object.keys(body).join() === 'errors' &&
    body.errors.length === 1 &&
    body.errors[0].status === status &&
    typeof body.errors[0].detail === 'string';
  assert.ok(isDetail || isErrors, text);
}

for (const backend of backends()) {
  describe(`okeanos malformed input: a 4xx in DRF's words, never a 5xx [${backend}]`, () => {
    let server: TestServer;
    let token = '';

    before(async () => {
      server = await startOkeanos(backend);
      token = (await nativeToken(server, 'fuzzer')).token;
    });
    after(() => server.close());

    const send = async (method: string, path: string, contentType: string, body: string) => {
      const response = await fetch(server.url + path, {
        method,
        headers: { authorization: `Token ${token}`, 'content-type': contentType },
        body,
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        text: await response.text(),
      };
    };

    const created = async (family: string, body: { uuid: string }) => {
      assert.equal((await send('POST', `/api/${family}/`, 'application/json', JSON.stringify(body))).status, 202);
      return body.uuid;
    };

    const routes: [string, string, () => object][] = [
      ['POST', '/api/lambda_instances/', () => instanceBody()],
      ['POST', '/api/lambda_applications/', () => applicationBody()],
      ['POST', `/api/lambda_instances/${randomUUID()}/status/`, () => ({ status: '20', failure_message: '' })],
      ['POST', `/api/lambda_applications/${randomUUID()}/status/`, () => ({ status: '0', failure_message: '' })],
    ];
    for (const [method, path, validBody] of routes) {
      for (const [what, contentType, body] of malformedBodies(validBody())) {
        test(`${method} ${path.replace(/[0-9a-f-]{36}/, '<uuid>')} with ${what}: a 4xx`, async () => {
          const answer = await send(method, path, contentType, body);
          assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${answer.text}`);
          assertDrfError(answer.status, answer.text, answer.contentType);
        });
      }
    }

    test('a wrong charset is refused as DRF refuses a media type it cannot parse', async () => {
      const answer = await send(
        'POST',
        '/api/lambda_instances/',
        'application/json; charset=latin-9',
        JSON.stringify(instanceBody()),
      );
      assert.equal(answer.status, 415);
      assert.equal(
        answer.text,
        '{"detail":"Unsupported media type \\"application/json; charset=latin-9\\" in request."}',
      );
      assert.equal(
        (
          await send(
            'POST',
            '/api/lambda_instances/',
            'application/json; charset="UTF-8"',
            JSON.stringify(instanceBody()),
          )
        ).status,
        202,
      );
    });

    test('instance_info nested deeper than any service VM sends is a field error', async () => {
      const answer = await send(
        'POST',
        '/api/lambda_instances/',
        'application/json',
        withDeepField(instanceBody(), 'instance_info'),
      );
      assert.equal(answer.text, '{"errors":[{"status":400,"detail":"instance_info: Nested deeper than 64 levels."}]}');
    });

    // Needs the root content parser to read an empty JSON body as no body (the lead's change on main): 400 until then.
    const noBodyRoutes: [string, string, () => Promise<string>, number][] = [
      [
        'DELETE',
        '/api/lambda_instances/<uuid>/',
        async () => `/api/lambda_instances/${await created('lambda_instances', instanceBody())}/`,
        202,
      ],
      [
        'POST',
        '/api/lambda_applications/<uuid>/increment_started/',
        async () =>
          `/api/lambda_applications/${await created('lambda_applications', applicationBody())}/increment_started/`,
        202,
      ],
      ['GET', '/api/authenticate/', async () => '/api/authenticate/', 200],
    ];
    for (const [method, shownPath, pathOf, expected] of noBodyRoutes) {
      test(`${method} ${shownPath} needs no body: an empty one with application/json is no body (${expected})`, async () => {
        const path = await pathOf();
        const answer = await fetch(server.url + path, {
          method,
          headers: { authorization: `Token ${token}`, 'content-type': 'application/json', 'content-length': '0' },
        });
        assert.equal(answer.status, expected, await answer.text());
      });
    }
  });
}
