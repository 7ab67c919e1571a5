// The request log never holds a query string's values: ConPaaS clients send passwords there (GET /getcerts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactQuery } from '../../../src/api/request-log.ts';
import { adminPassword } from '../../support/server.ts';
import { startLoggedApp } from '../../support/logged-app.ts';

test('a password in the query string of GET /getcerts is not in the request log; one line has the method, path, status, duration and request id', async (t) => {
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
  const requestLines = logged.lines().filter((line) => line.req);
  assert.equal(requestLines.length, 1, logged.output());
  const [line] = requestLines;
  assert.equal(line.msg, `GET /getcerts?username=[Redacted]&password=[Redacted] 200 ${line.responseTime}ms`);
  assert.deepEqual(
    { method: (line.req as any).method, url: (line.req as any).url },
    {
      method: 'GET',
      url: '/getcerts?username=[Redacted]&password=[Redacted]',
    },
  );
  assert.deepEqual(line.res, { statusCode: 200 });
  assert.equal(line.reqId, 'getcerts-1');
});

test('every query value is redacted, and a parameter without a value goes whole', () => {
  assert.equal(redactQuery('/login'), '/login');
  assert.equal(redactQuery('/list?status=configured&cloud='), '/list?status=[Redacted]&cloud=[Redacted]');
  assert.equal(redactQuery('/x?s3cret-token&a=1=2'), '/x?[Redacted]&a=[Redacted]');
  assert.equal(redactQuery('/x?'), '/x?');
});
