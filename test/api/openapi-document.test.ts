import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import createClient from 'openapi-fetch';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { lintDocument } from '../../scripts/openapi-lint.ts';
import { deriveOperationId, httpMethods } from '../../src/api/operations.ts';
import { adminPassword, startServer, type TestServer } from '../support/server.ts';

interface Operation {
  method: string;
  path: string;
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
}

const operationsOf = (document: any): Operation[] =>
  Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    httpMethods.filter((method) => item[method]).map((method) => ({ method, path, ...item[method] })),
  );

describe('/openapi.json, as client generators read it', () => {
  let server: TestServer;
  let document: any;
  before(async () => {
    server = await startServer('sqlite');
    document = (await server.call('GET', '/openapi.json')).body;
  });
  after(() => server.close());

  test('every operation has an operationId, and no two the same', () => {
    const operations = operationsOf(document);
    assert.ok(operations.length > 150, `${operations.length} operations`);
    const missing = operations.filter((operation) => !operation.operationId);
    assert.deepEqual(
      missing.map((operation) => `${operation.method} ${operation.path}`),
      [],
    );
    const seen = new Map<string, string>();
    for (const { method, path, operationId } of operations) {
      assert.equal(
        seen.get(operationId!),
        undefined,
        `${operationId}: ${method} ${path} and ${seen.get(operationId!)}`,
      );
      seen.set(operationId!, `${method} ${path}`);
    }
  });

  test('a route serving GET and POST is two operations with their own names, dialects prefixed', () => {
    assert.equal(document.paths['/list'].get.operationId, 'conpaasListServices');
    assert.equal(document.paths['/list'].post.operationId, 'conpaasListServicesViaPost');
    assert.equal(document.paths['/api/v1/teams/{team}/resources'].get.operationId, 'listTeamResources');
    assert.equal(document.paths['/api/lambda_instances/'].post.operationId, 'okeanosCreateLambdaInstance');
  });

  test('every operation says what credentials it takes, each a declared scheme', () => {
    const schemes = Object.keys(document.components.securitySchemes);
    for (const { method, path, security } of operationsOf(document)) {
      assert.ok(Array.isArray(security), `${method} ${path} declares no security`);
      for (const name of security.flatMap((requirement) => Object.keys(requirement)))
        assert.ok(schemes.includes(name), `${method} ${path}: ${name} is not in components.securitySchemes`);
    }
    assert.deepEqual(document.paths['/api/v1/teams'].post.security, [{ bearerAuth: [] }]);
    for (const path of ['/healthz', '/readyz', '/api/v1/stats', '/api/users/count'])
      assert.deepEqual(document.paths[path].get.security, [], path);
    assert.deepEqual(document.paths['/api/v1/auth/login'].post.security, []);
    assert.deepEqual(document.paths['/api/lambda_instances/'].get.security, [{ okeanosToken: [] }]);
    assert.deepEqual(document.paths['/start/{servicetype}'].post.security, [{ mutualTLS: [] }]);
  });

  test('every parameter of a path is declared by each of its operations, and no other', () => {
    for (const { method, path, parameters = [] } of operationsOf(document)) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
      const declared = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
      assert.deepEqual(declared.sort(), inPath, `${method} ${path}`);
    }
    assert.ok(document.paths['/api/v1/teams/{team}/resources/{id}/outputs/{path}'].get);
  });

  test('the document names its server, relative to where it is served', () => {
    assert.deepEqual(document.servers, [{ url: '/' }]);
  });

  test("Redocly's recommended rules (redocly.yaml) find no error and no warning", async () => {
    const result = await lintDocument(document);
    assert.equal(result.errors, 0, result.output);
    assert.equal(result.warnings, 0, result.output);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.output, /valid/);
  });

  test('Redocly refuses what the rules are there for: a path with a trailing slash, a secured operation without 4XX', async () => {
    const operation = document.paths['/api/v1/teams'].get;
    const broken = {
      ...document,
      paths: {
        '/api/v1/teams/': { get: { ...operation, operationId: 'slashed' } },
        '/api/v1/quiet': { get: { ...operation, operationId: 'quiet', responses: { 200: { description: 'ok' } } } },
      },
    };
    const result = await lintDocument(broken);
    assert.equal(result.errors, 2, result.output);
    assert.match(result.output, /no-path-trailing-slash-outside-okeanos/);
    assert.match(result.output, /secured-operation-4xx-response/);
  });

  test('openapi-typescript makes types of it, and openapi-fetch logs in and calls with the token', async () => {
    const types = astToString(await openapiTS(document as OpenAPI3));
    assert.match(types, /listTeamResources: \{/);
    assert.match(types, /"\/api\/v1\/teams\/\{team\}\/resources\/\{id\}\/outputs\/\{path\}": \{/);
    const client = createClient<any>({ baseUrl: server.url });
    const login = await client.POST('/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } });
    assert.equal(login.response.status, 200, JSON.stringify(login.error));
    const headers = { authorization: `Bearer ${login.data.token.token}` };
    const me = await client.GET('/api/v1/me', { headers });
    assert.equal(me.data.user.username, 'admin');
  });

  test('operationIds read as methods: list, get, create, replace, update, delete, or the action named last', () => {
    assert.equal(deriveOperationId('get', '/api/v1/teams/{team}/resources'), 'listTeamResources');
    assert.equal(deriveOperationId('get', '/api/v1/teams/{team}/resources/{id}'), 'getTeamResource');
    assert.equal(deriveOperationId('post', '/api/v1/teams/{team}/namespaces'), 'createTeamNamespace');
    assert.equal(deriveOperationId('put', '/api/v1/teams/{team}/resources/{id}'), 'replaceTeamResource');
    assert.equal(deriveOperationId('patch', '/api/v1/users/{userId}'), 'updateUser');
    assert.equal(deriveOperationId('delete', '/api/lambda_instances/{uuid}/'), 'deleteLambdaInstance');
    assert.equal(deriveOperationId('get', '/api/v1/billing/accounts/{account}/ledger'), 'getBillingAccountLedger');
    assert.equal(
      deriveOperationId('post', '/api/v1/billing/accounts/{account}/invoices/{invoice}/void'),
      'voidBillingAccountInvoice',
    );
    assert.equal(deriveOperationId('post', '/create_order'), 'createOrder');
    assert.equal(deriveOperationId('get', '/api/lambda_applications/count'), 'getLambdaApplicationsCount');
  });
});
