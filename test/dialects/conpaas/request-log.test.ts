// The request log never holds a query string's values: ConPaaS clients send passwords there (GET /getcerts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactQuery } from '../../../src/api/request-log.ts';
import { adminPassword } from '../../support/server.ts';
import { startLoggedApp } from '../../support/logged-app.ts';

test('a password in the query string of GET /getcerts is not in the request log; method, path and request id are', async (t) => {
  const logged = await startLoggedApp();
  t.after(() => logged.close());
  const response = await logged.app.http.inject({
    method: 'GET',
    url: `/getcerts?username=admin&password=${adminPassword}`,
    headers: { 'x-request-id': 'getcerts-1' },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'application/zip');
  assert.ok(!logged.output().includes(adminPassword), logged.output());
  const incoming = logged.lines().find((line) => line.msg === 'incoming request');
  assert.deepEqual(incoming?.req && { method: (incoming.req as any).method, url: (incoming.req as any).url }, {
    method: 'GET',
    url: '/getcerts?username=[Redacted]&password=[Redacted]',
  });
  assert.equal(incoming?.reqId, 'getcerts-1');
});

test('every query value is redacted, and a parameter without a value goes whole', () => {
  assert.equal(redactQuery('/login'), '/login');
  assert.equal(redactQuery('/list?status=configured&cloud='), '/list?status=[Redacted]&cloud=[Redacted]');
  assert.equal(redactQuery('/x?s3cret-token&a=1=2'), '/x?[Redacted]&a=[Redacted]');
  assert.equal(redactQuery('/x?'), '/x?');
});
