// Byte-level wire behaviour from the reference: media types, Go's JSON, goa's error bodies, bare statuses, documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { goaError, listApplications, oidPattern, onEachBackend, rawCall, rfc3339Nano } from './support.ts';

onEachBackend('krak8s wire format', (server) => {
  const goaId = /^[A-Za-z0-9+/]{8}$/;

  test('an empty project list is exactly "[]\\n" (Content-Length 3) as a project collection', async () => {
    const empty = await server().call('GET', '/v1/projects');
    assert.equal(empty.status, 200);
    assert.equal(empty.headers.get('content-type'), 'application/project+json; type=collection');
    assert.equal(empty.headers.get('content-length'), '3');
    assert.equal(empty.text, '[]\n');
  });

  test('objects are Go JSON: keys in goa order, a trailing newline, HTML characters escaped', async () => {
    const project = await server().call('POST', '/v1/projects', { body: { name: 'R&D <lab>' } });
    assert.equal(project.status, 201);
    assert.equal(project.headers.get('content-type'), 'application/project+json');
    assert.equal(
      project.text,
      `{"created_at":"${project.body.created_at}","id":"${project.body.id}","name":"R\\u0026D \\u003clab\\u003e","namespaces":null,"type":"project"}\n`,
    );
    assert.match(project.body.id, oidPattern);
    assert.match(project.body.created_at, rfc3339Nano);
  });

  test('each media type: namespace, cluster, application and their collections', async () => {
    const pid = (await server().call('POST', '/v1/projects', { body: { name: 'types' } })).body.id;
    const namespace = await server().call('POST', `/v1/projects/${pid}/namespaces`, { body: { name: 'types-ns' } });
    assert.equal(namespace.headers.get('content-type'), 'application/namespace+json');
    assert.equal(
      (await server().call('GET', `/v1/projects/${pid}/namespaces`)).headers.get('content-type'),
      'application/namespace+json; type=collection',
    );
    const cluster = await server().call('POST', `/v1/projects/${pid}/cluster`, {
      body: { namespace_id: namespace.body.id },
    });
    assert.equal(cluster.headers.get('content-type'), 'application/cluster+json');
    assert.equal(cluster.body.nodePoolSize, 3, 'the default node pool size');
    // The reference's application: every field, `set` stored (backslashes removed) as `config`, no password.
    const application = await server().call('POST', `/v1/projects/${pid}/applications`, {
      body: {
        deployment_name: 'neptune-mongodb',
        server: 'quay.io',
        registry: 'samsung_cnct',
        name: 'mongodb-replicaset',
        version: 'latest',
        channel: 'stable',
        namespace_id: namespace.body.id,
        set: 'a=\\"b\\"',
        json_values: '{\\"ingress\\":{\\"enabled\\":true}}',
        username: 'robot',
        password: 'secret',
      },
    });
    assert.equal(application.status, 202);
    assert.equal(application.headers.get('content-type'), 'application/application+json');
    assert.deepEqual(Object.keys(application.body), [
      'channel',
      'config',
      'created_at',
      'deployment_name',
      'id',
      'json_values',
      'name',
      'namespace_id',
      'registry',
      'server',
      'status',
      'type',
      'updated_at',
      'username',
      'version',
    ]);
    assert.equal(application.body.config, 'a="b"');
    assert.equal(application.body.json_values, '{"ingress":{"enabled":true}}');
    assert.equal(application.body.username, 'robot');
    assert.equal(application.body.deployment_name, 'neptune-mongodb');
    assert.ok(!application.text.includes('secret'));
    const listed = await listApplications(server(), pid, namespace.body.id);
    assert.equal(listed.headers.get('content-type'), 'application/application+json; type=collection');
    // Defaults of an application created with only its name.
    const minimal = await server().call('POST', `/v1/projects/${pid}/applications`, {
      body: { name: 'web', namespace_id: namespace.body.id },
    });
    assert.deepEqual(
      [
        minimal.body.deployment_name,
        minimal.body.server,
        minimal.body.registry,
        minimal.body.version,
        minimal.body.channel,
        minimal.body.config,
      ],
      ['samsung-mongodb-replicaset', 'quay.io', 'samsung_cnct', 'latest', '', ''],
    );
  });

  test('bad payloads are goa errors: missing payload, bad JSON, missing attribute, length, range', async () => {
    const missing = await server().call('POST', '/v1/projects');
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('content-type'), 'application/vnd.goa.error');
    assert.deepEqual(Object.keys(goaError(missing)), ['id', 'code', 'status', 'detail']);
    assert.match(goaError(missing).id, goaId);
    assert.deepEqual(
      { ...goaError(missing), id: '' },
      { id: '', code: 'invalid_request', status: 400, detail: 'missing required payload' },
    );

    const badJson = await server().call('POST', '/v1/projects', {
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(badJson.status, 400);
    assert.equal(goaError(badJson).code, 'bad_request');

    const noName = await server().call('POST', '/v1/projects', { body: {} });
    assert.match(
      goaError(noName).detail,
      /^\[[A-Za-z0-9+/]{8}\] 400 invalid_request: attribute "name" of raw is missing and required, attribute: name, parent: raw$/,
    );
    const short = await server().call('POST', '/v1/projects', { body: { name: 'a' } });
    assert.match(
      goaError(short).detail,
      /invalid_request: length of raw\.name must be greater than or equal to 2 but got value "a" \(len=1\)/,
    );
    // goa decoded any content type as JSON.
    const asText = await server().call('POST', '/v1/projects', {
      rawBody: '{"name":"x"}',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(asText.status, 400);
    assert.match(goaError(asText).detail, /length of raw\.name/);

    const pid = (await server().call('POST', '/v1/projects', { body: { name: 'ranges' } })).body.id;
    const noNamespace = await server().call('POST', `/v1/projects/${pid}/cluster`, { body: { nodePoolSize: 4 } });
    assert.match(goaError(noNamespace).detail, /attribute "namespace_id" of response is missing and required/);
    const small = await server().call('POST', `/v1/projects/${pid}/cluster`, {
      body: { namespace_id: 'x', nodePoolSize: 2 },
    });
    assert.match(goaError(small).detail, /response\.nodePoolSize must be greater than or equal to 3 but got value 2/);
    const large = await server().call('POST', `/v1/projects/${pid}/cluster`, {
      body: { namespace_id: 'x', nodePoolSize: 12 },
    });
    assert.match(goaError(large).detail, /response\.nodePoolSize must be less than or equal to 11 but got value 12/);
    const both = await server().call('POST', `/v1/projects/${pid}/applications`, { body: { version: 1 } });
    assert.match(
      goaError(both).detail,
      /attribute "name" of response is missing and required; attribute "namespace_id" of response is missing and required; type of response\.version must be string/,
    );
    const listWithoutBody = await rawCall(server(), 'GET', `/v1/projects/${pid}/applications`);
    assert.equal(listWithoutBody.status, 400);
    assert.equal(goaError(listWithoutBody).detail, 'missing required payload');
  });

  test('not found is a bare 404; unknown paths and wrong methods are goa not_found errors', async () => {
    const missing = await server().call('GET', '/v1/projects/0badc0de');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-length'), '0');
    assert.equal(missing.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(missing.text, '');
    assert.equal((await server().call('GET', '/v1/projects/not-an-id')).status, 404);
    const unknown = await server().call('GET', '/v1/projects/0badc0de/nothing/here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.headers.get('content-type'), 'application/vnd.goa.error');
    assert.deepEqual(
      { ...goaError(unknown), id: '' },
      { id: '', code: 'not_found', status: 404, detail: '/v1/projects/0badc0de/nothing/here' },
    );
    const wrongMethod = await server().call('PUT', '/v1/projects');
    assert.deepEqual(
      [wrongMethod.status, goaError(wrongMethod).code, goaError(wrongMethod).detail],
      [404, 'not_found', '/v1/projects'],
    );
    const noClusterList = await server().call('GET', '/v1/projects/0badc0de/cluster');
    assert.deepEqual([noClusterList.status, goaError(noClusterList).code], [404, 'not_found']);
  });

  test('the Swagger 2.0 document at /swagger, /swagger.json, /openapi (JSON) and /swagger.yaml, /openapi.yaml (YAML)', async () => {
    const json = await server().call('GET', '/swagger.json');
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.equal(json.body.swagger, '2.0');
    assert.equal(json.body.info.title, 'krak8s API Server');
    assert.equal(json.body.host, 'localhost:8080');
    assert.equal(json.body.basePath, undefined);
    assert.equal(Object.keys(json.body.paths).length, 15);
    const operations = Object.values(json.body.paths as Record<string, object>).reduce(
      (count, path) => count + Object.keys(path).length,
      0,
    );
    assert.equal(operations, 22);
    assert.deepEqual(Object.keys(json.body.responses).sort(), [
      'Conflict',
      'InternalServerError',
      'NoContent',
      'NotFound',
    ]);
    assert.equal(json.body.definitions.Cluster.properties.type.example, 'Resource');
    for (const path of ['/swagger', '/openapi']) assert.deepEqual((await server().call('GET', path)).body, json.body);
    for (const path of ['/swagger.yaml', '/openapi.yaml']) {
      const yaml = await server().call('GET', path);
      assert.equal(yaml.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.deepEqual(parse(yaml.text), json.body);
    }
  });

  test("the Swagger document keeps goa's required lists and constraints", async () => {
    const { definitions } = (await server().call('GET', '/swagger.json')).body;
    const requiredOf = (name: string) => [...definitions[name].required].sort();
    assert.deepEqual(requiredOf('ClusterPostBody'), ['namespace_id', 'nodePoolSize']);
    assert.deepEqual(
      ['minimum', 'maximum', 'default'].map((key) => definitions.ClusterPostBody.properties.nodePoolSize[key]),
      [3, 11, 3],
    );
    assert.deepEqual(requiredOf('ApplicationPostBody'), ['deployment_name', 'name', 'namespace_id', 'version']);
    assert.deepEqual(requiredOf('CreateProjectPayload'), ['name']);
    assert.deepEqual(requiredOf('CreateNamespacePayload'), ['name']);
    assert.deepEqual(requiredOf('ListApplicationPayload'), ['namespaceid']);
    assert.equal(definitions.Namespace.properties.name.minLength, 2);
    assert.equal(definitions.Project.properties.name.minLength, 2);
    assert.equal(definitions.CreateProjectPayload.properties.name.minLength, 2);
    assert.equal(definitions.Application.properties.status.properties.notes.type, 'string');
    assert.deepEqual([...definitions.Application.properties.status.required].sort(), ['deployed_at', 'state']);
    assert.deepEqual(requiredOf('Application'), [
      'channel',
      'config',
      'created_at',
      'deployment_name',
      'id',
      'json_values',
      'name',
      'namespace_id',
      'registry',
      'server',
      'status',
      'type',
      'updated_at',
      'username',
      'version',
    ]);
    assert.deepEqual(requiredOf('Cluster'), [
      'created_at',
      'id',
      'namespace_id',
      'nodePoolSize',
      'state',
      'type',
      'updated_at',
    ]);
    // The reference media types are named, as goa named them, and what may be null says so.
    assert.deepEqual(definitions.Project.properties.namespaces, {
      $ref: '#/definitions/NamespaceRefCollection',
      'x-nullable': true,
    });
    assert.deepEqual(definitions.Namespace.properties.resources, {
      $ref: '#/definitions/ClusterRef',
      'x-nullable': true,
    });
    assert.deepEqual(definitions.Namespace.properties.applications, {
      $ref: '#/definitions/ApplicationRefCollection',
      'x-nullable': true,
    });
    assert.deepEqual(requiredOf('NamespaceRef'), ['oid', 'url']);
  });

  test("each operation's produces lists the media type of every answer it documents with a body", async () => {
    const { paths, definitions } = (await server().call('GET', '/swagger.json')).body;
    let checked = 0;
    for (const [path, operations] of Object.entries(
      paths as Record<
        string,
        Record<string, { produces?: string[]; responses: Record<string, { schema?: { $ref?: string } }> }>
      >,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!response.schema?.$ref) continue;
          const title: string = definitions[response.schema.$ref.replace('#/definitions/', '')].title;
          const mediaType = title.replace('Mediatype identifier: ', '').replace('; view=default', '');
          assert.ok(
            operation.produces?.includes(mediaType),
            `${method} ${path} ${status}: ${mediaType} not in ${JSON.stringify(operation.produces)}`,
          );
          checked++;
        }
      }
    }
    assert.equal(checked, 21, '11 success answers and 10 goa 400s');
  });

  test('/openapi.json stays the native OpenAPI 3.1 document, listing the krak8s routes under their own tag', async () => {
    const openapi = await server().call('GET', '/openapi.json');
    assert.equal(openapi.body.openapi, '3.1.0');
    assert.deepEqual(openapi.body.paths['/v1/projects'].post.tags, ['krak8s']);
    assert.deepEqual(openapi.body.paths['/v1/projects/{projectid}/cluster/{resource_id}'].get.tags, ['krak8s']);
    assert.equal(openapi.body.paths['/v1/projects/*'], undefined);
  });

  test('/v1/healthz answers in plain text with the time and the version, without credentials', async () => {
    const health = await rawCall(server(), 'GET', '/v1/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('content-type'), 'text/plain');
    assert.match(health.text, /^Health OK: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC, semVer: \S+\n$/);
  });
});
