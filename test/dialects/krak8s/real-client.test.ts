// The goa-generated Go client of samsung-cnct/krak8s (`client/*.go` at 0f20f6a), replayed call by call as it
// sends them, its answers decoded as its structs decode them; every answer is also one the served
// /swagger.json describes, so a client generated from that document decodes it too.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import type { Response } from '../../support/server.ts';
import { decode, goTypes, payloads, send, sendPayload } from './goa-client.ts';
import { assertDescribed, type SwaggerDocument } from './swagger-check.ts';
import { onEachBackend } from './support.ts';

onEachBackend('krak8s: the goa client', (server) => {
  let swagger: SwaggerDocument;
  before(async () => {
    swagger = (await server().call('GET', '/swagger.json')).body;
  });

  /** The answer, after checking the served document describes it. */
  const described = (method: string, template: string) => (response: Response) => {
    assertDescribed(swagger, method, template, response);
    return response;
  };

  test('the happy path: project, namespace, cluster until active, application; each read back, listed and deleted', async () => {
    // client/health.go HealthHealth; client/swagger.go DownloadSwagger* (it only checks for a 200).
    const health = described('GET', '/v1/healthz')(await send(server(), 'GET', '/v1/healthz'));
    assert.equal(health.status, 200);
    for (const path of ['/swagger', '/swagger.json', '/swagger.yaml', '/openapi', '/openapi.yaml'])
      assert.equal((await send(server(), 'GET', path)).status, 200, path);

    // client/project.go CreateProject: 201, DecodeProject.
    const created = described(
      'POST',
      '/v1/projects',
    )(await sendPayload(server(), 'POST', '/v1/projects', payloads.createProject('goa-client')));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('content-type'), 'application/project+json');
    const project = decode(created, goTypes.Project);
    assert.deepEqual([project.name, project.type, project.namespaces], ['goa-client', 'project', null]);
    const pid: string = project.id;

    // ListProject (DecodeProjectCollection) and GetProject.
    const projects = decode(described('GET', '/v1/projects')(await send(server(), 'GET', '/v1/projects')), [
      goTypes.Project,
    ]);
    assert.ok(projects.some((listed: { id: string }) => listed.id === pid));
    assert.deepEqual(
      decode(
        described('GET', '/v1/projects/{projectid}')(await send(server(), 'GET', `/v1/projects/${pid}`)),
        goTypes.Project,
      ),
      project,
    );

    // client/namespace.go CreateNamespace: 201, DecodeNamespace; ListNamespace, GetNamespace.
    const namespaceAnswer = described(
      'POST',
      '/v1/projects/{projectid}/namespaces',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/namespaces`,
        payloads.createNamespace('goa-client-prod'),
      ),
    );
    assert.equal(namespaceAnswer.status, 201);
    const namespace = decode(namespaceAnswer, goTypes.Namespace);
    assert.deepEqual([namespace.name, namespace.resources, namespace.applications], ['goa-client-prod', null, null]);
    const nsid: string = namespace.id;
    assert.deepEqual(
      decode(
        described(
          'GET',
          '/v1/projects/{projectid}/namespaces',
        )(await send(server(), 'GET', `/v1/projects/${pid}/namespaces`)),
        [goTypes.Namespace],
      ),
      [namespace],
    );

    // client/cluster.go CreateCluster: the struct always sends both fields; 202, DecodeCluster; GetCluster until active.
    const clusterAnswer = described(
      'POST',
      '/v1/projects/{projectid}/cluster',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/cluster`,
        payloads.clusterPostBody({ namespaceID: nsid, nodePoolSize: 3 }),
      ),
    );
    assert.equal(clusterAnswer.status, 202);
    const cluster = decode(clusterAnswer, goTypes.Cluster);
    assert.deepEqual(
      [cluster.namespace_id, cluster.nodePoolSize, cluster.state, cluster.updated_at],
      [nsid, 3, 'create_requested', '0001-01-01T00:00:00Z'],
    );
    const getCluster = async () =>
      described(
        'GET',
        '/v1/projects/{projectid}/cluster/{resource_id}',
      )(await send(server(), 'GET', `/v1/projects/${pid}/cluster/${cluster.id}`));
    await eventually(
      getCluster,
      (response) => decode(response, goTypes.Cluster).state === 'active',
      'the cluster is active',
    );

    // client/application.go CreateApplication with only the fields a caller must set: the plain string
    // fields go as "" (not omitted), so the server's defaults do not apply, as with the original.
    const applicationAnswer = described(
      'POST',
      '/v1/projects/{projectid}/applications',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/applications`,
        payloads.applicationPostBody({
          name: 'mongodb-replicaset',
          namespaceID: nsid,
          version: 'latest',
          password: 'never-returned',
        }),
      ),
    );
    assert.equal(applicationAnswer.status, 202);
    assert.ok(!applicationAnswer.text.includes('never-returned'));
    const application = decode(applicationAnswer, goTypes.Application);
    assert.deepEqual(
      [
        application.name,
        application.version,
        application.deployment_name,
        application.registry,
        application.server,
        application.status.state,
        application.status.notes,
      ],
      ['mongodb-replicaset', 'latest', '', '', '', 'UNKNOWN', null],
    );

    // ListApplication: a GET whose JSON body names the namespace; GetApplication.
    const listed = described(
      'GET',
      '/v1/projects/{projectid}/applications',
    )(await sendPayload(server(), 'GET', `/v1/projects/${pid}/applications`, payloads.listApplication(nsid)));
    assert.deepEqual(
      decode(listed, [goTypes.Application]).map((item: { id: string }) => item.id),
      [application.id],
    );
    assert.equal(
      decode(
        described(
          'GET',
          '/v1/projects/{projectid}/applications/{appid}',
        )(await send(server(), 'GET', `/v1/projects/${pid}/applications/${application.id}`)),
        goTypes.Application,
      ).id,
      application.id,
    );

    // The namespace and the project now refer to what was made in them.
    const withChildren = decode(
      described(
        'GET',
        '/v1/projects/{projectid}/namespaces/{namespaceid}',
      )(await send(server(), 'GET', `/v1/projects/${pid}/namespaces/${nsid}`)),
      goTypes.Namespace,
    );
    assert.deepEqual(withChildren.resources, { oid: cluster.id, url: `/v1/projects/${pid}/cluster/${cluster.id}` });
    assert.deepEqual(withChildren.applications, [
      { oid: application.id, url: `/v1/projects/${pid}/applications/${application.id}` },
    ]);
    assert.deepEqual(decode(await send(server(), 'GET', `/v1/projects/${pid}`), goTypes.Project).namespaces, [
      { oid: nsid, url: `/v1/projects/${pid}/namespaces/${nsid}` },
    ]);

    // Delete* send no body and no Content-Type; 204 with no body.
    for (const [template, path] of [
      ['/v1/projects/{projectid}/applications/{appid}', `/v1/projects/${pid}/applications/${application.id}`],
      ['/v1/projects/{projectid}/cluster/{resource_id}', `/v1/projects/${pid}/cluster/${cluster.id}`],
      ['/v1/projects/{projectid}/namespaces/{namespaceid}', `/v1/projects/${pid}/namespaces/${nsid}`],
      ['/v1/projects/{projectid}', `/v1/projects/${pid}`],
    ]) {
      const deleted = described('DELETE', template)(await send(server(), 'DELETE', path));
      assert.deepEqual([deleted.status, deleted.text], [204, ''], path);
    }
    assert.equal(
      described('GET', '/v1/projects/{projectid}')(await send(server(), 'GET', `/v1/projects/${pid}`)).status,
      404,
    );
  });

  test('refusals: payload errors decode as goa.ErrorResponse, lookups are bare 404s, a second cluster a bare 409', async () => {
    const pid = decode(
      await sendPayload(server(), 'POST', '/v1/projects', payloads.createProject('goa-refusals')),
      goTypes.Project,
    ).id;
    const nsid = decode(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/namespaces`,
        payloads.createNamespace('goa-refusals-ns'),
      ),
      goTypes.Namespace,
    ).id;

    // A ClusterPostBody whose NodePoolSize was left unset goes as 0: below goa's minimum of 3.
    const unset = described(
      'POST',
      '/v1/projects/{projectid}/cluster',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/cluster`,
        payloads.clusterPostBody({ namespaceID: nsid }),
      ),
    );
    const unsetError = decode(unset, goTypes.ErrorResponse);
    assert.deepEqual([unset.status, unsetError.code, unsetError.status], [400, 'bad_request', 400]);
    assert.match(unsetError.detail, /response\.nodePoolSize must be greater than or equal to 3 but got value 0/);

    // A CreateProjectPayload with an empty Name is present, so it is the length that fails.
    const unnamed = described(
      'POST',
      '/v1/projects',
    )(await sendPayload(server(), 'POST', '/v1/projects', payloads.createProject('')));
    assert.match(
      decode(unnamed, goTypes.ErrorResponse).detail,
      /length of raw\.name must be greater than or equal to 2 but got value "" \(len=0\)/,
    );

    // An application before its namespace has a cluster (the documented order of operations).
    const early = described(
      'POST',
      '/v1/projects/{projectid}/applications',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/applications`,
        payloads.applicationPostBody({ name: 'early', namespaceID: nsid }),
      ),
    );
    assert.deepEqual([early.status, decode(early, goTypes.ErrorResponse).code], [400, 'bad_request']);

    // A cluster for a namespace that does not exist, an unknown project: 404 with no body to decode.
    const noNamespace = described(
      'POST',
      '/v1/projects/{projectid}/cluster',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/cluster`,
        payloads.clusterPostBody({ namespaceID: '0badc0de', nodePoolSize: 3 }),
      ),
    );
    assert.deepEqual([noNamespace.status, noNamespace.text], [404, '']);
    const noProject = described(
      'GET',
      '/v1/projects/{projectid}',
    )(await send(server(), 'GET', '/v1/projects/0badc0de'));
    assert.deepEqual([noProject.status, noProject.text], [404, '']);

    const first = await sendPayload(
      server(),
      'POST',
      `/v1/projects/${pid}/cluster`,
      payloads.clusterPostBody({ namespaceID: nsid, nodePoolSize: 11 }),
    );
    assert.equal(first.status, 202);
    const second = described(
      'POST',
      '/v1/projects/{projectid}/cluster',
    )(
      await sendPayload(
        server(),
        'POST',
        `/v1/projects/${pid}/cluster`,
        payloads.clusterPostBody({ namespaceID: nsid, nodePoolSize: 3 }),
      ),
    );
    assert.deepEqual([second.status, second.text], [409, '']);

    // Deleting the cluster twice: the second is the controller's 400, a goa error.
    const cid = decode(first, goTypes.Cluster).id;
    assert.equal((await send(server(), 'DELETE', `/v1/projects/${pid}/cluster/${cid}`)).status, 204);
    const again = described(
      'DELETE',
      '/v1/projects/{projectid}/cluster/{resource_id}',
    )(await send(server(), 'DELETE', `/v1/projects/${pid}/cluster/${cid}`));
    assert.deepEqual(
      [again.status, decode(again, goTypes.ErrorResponse).detail],
      [400, 'Invalid Cluster Resource Object ID specified in request'],
    );

    // ListApplication for a namespace of no project of the caller's.
    const foreign = described(
      'GET',
      '/v1/projects/{projectid}/applications',
    )(await sendPayload(server(), 'GET', `/v1/projects/${pid}/applications`, payloads.listApplication('0badc0de')));
    assert.deepEqual([foreign.status, foreign.text], [404, '']);

    // A path no action serves: goa's not_found error, which DecodeErrorResponse reads.
    const nowhere = await send(server(), 'GET', `/v1/projects/${pid}/clusters`);
    assert.deepEqual([nowhere.status, decode(nowhere, goTypes.ErrorResponse).code], [404, 'not_found']);
  });
});
