// The Swagger 2.0 document krak8s served about itself (15 paths, 22 operations), its definitions
// converted from the TypeBox wire shapes so that the wire and the document cannot drift apart.
import type { TSchema } from '@sinclair/typebox';
import * as wire from './wire.ts';

type Swagger = Record<string, unknown>;

const copied = ['type', 'format', 'description', 'example', 'default', 'minLength', 'minimum', 'maximum'] as const;

/** Swagger 2.0 is JSON Schema without null: a nullable value is documented by its non-null form. */
export function toSwagger(schema: TSchema): Swagger {
  if (schema.anyOf) {
    const branches = (schema.anyOf as TSchema[]).filter((branch) => branch.type !== 'null');
    if (branches.every((branch) => branch.const !== undefined)) return { type: 'string', description: schema.description, enum: branches.map((branch) => branch.const) };
    return { ...toSwagger(branches[0]), ...(schema.description ? { description: schema.description } : {}) };
  }
  const out: Swagger = {};
  for (const key of copied) if (schema[key] !== undefined) out[key] = schema[key];
  if (schema.type === 'object' && schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, TSchema>).map(([name, property]) => [name, toSwagger(property)]));
    if (schema.required?.length) out.required = schema.required;
  }
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') out.additionalProperties = true;
  if (schema.type === 'array') out.items = toSwagger(schema.items as TSchema);
  return out;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const collection = (name: string, mediaType: string) => ({ title: `Mediatype identifier: ${mediaType}; type=collection`, type: 'array', items: ref(name) });

const definitions = {
  Project: { title: 'Mediatype identifier: application/project+json', ...toSwagger(wire.Project) },
  ProjectCollection: collection('Project', 'application/project+json'),
  Namespace: { title: 'Mediatype identifier: application/namespace+json', ...toSwagger(wire.Namespace) },
  NamespaceCollection: collection('Namespace', 'application/namespace+json'),
  Cluster: { title: 'Mediatype identifier: application/cluster+json', ...toSwagger(wire.Cluster) },
  Application: { title: 'Mediatype identifier: application/application+json', ...toSwagger(wire.Application) },
  ApplicationCollection: collection('Application', 'application/application+json'),
  CreateProjectPayload: { title: 'CreateProjectPayload', ...toSwagger(wire.CreateProjectPayload) },
  CreateNamespacePayload: { title: 'CreateNamespacePayload', ...toSwagger(wire.CreateNamespacePayload) },
  ClusterPostBody: { title: 'ClusterPostBody', ...toSwagger(wire.ClusterPostBody) },
  ApplicationPostBody: { title: 'ApplicationPostBody', ...toSwagger(wire.ApplicationPostBody) },
  ListApplicationPayload: { title: 'ListApplicationPayload', ...toSwagger(wire.ListApplicationPayload) },
  error: { title: 'Mediatype identifier: application/vnd.goa.error', ...toSwagger(wire.GoaError) },
};

const sharedResponses = {
  Conflict: { description: 'Conflict' },
  InternalServerError: { description: 'Internal Server Error' },
  NoContent: { description: 'No Content' },
  NotFound: { description: 'Not Found' },
};

const pathParameter = (name: string, description?: string) => ({ name, in: 'path', required: true, type: 'string', ...(description ? { description } : {}) });
const bodyParameter = (definition: string) => ({ name: 'payload', in: 'body', required: true, schema: ref(definition) });
const ok = (definition: string) => ({ 200: { description: 'OK', schema: ref(definition) } });
const badRequest = { 400: { description: 'Bad Request', schema: ref('error') } };
const notFound = { 404: { $ref: '#/responses/NotFound' } };
const noContent = { 204: { $ref: '#/responses/NoContent' } };
const accepted = (definition: string) => ({ 202: { description: 'Accepted', schema: ref(definition) } });
const serverError = { 500: { $ref: '#/responses/InternalServerError' } };

function operation(tag: string, action: string, description: string, produces: string[], parameters: unknown[], responses: Record<string, unknown>) {
  return { tags: [tag], summary: `${action} ${tag}`, description, operationId: `${tag}#${action}`, produces, parameters, responses, schemes: ['http'] };
}

function fileOperation(service: string, path: string, file: string) {
  return { get: { summary: `Download ${file}`, operationId: `${service}#${path}`, responses: { 200: { description: 'File downloaded', schema: { type: 'file' } } }, schemes: ['http'] } };
}

const error = 'application/vnd.goa.error';
const projectId = pathParameter('projectid', 'project identifier');

const paths = {
  '/openapi': fileOperation('openapi', '/openapi', 'swagger/swagger.json'),
  '/openapi.json': fileOperation('openapi', '/openapi.json', 'swagger/swagger.json'),
  '/openapi.yaml': fileOperation('openapi', '/openapi.yaml', 'swagger/swagger.yaml'),
  '/swagger': fileOperation('swagger', '/swagger', 'swagger/swagger.json'),
  '/swagger.json': fileOperation('swagger', '/swagger.json', 'swagger/swagger.json'),
  '/swagger.yaml': fileOperation('swagger', '/swagger.yaml', 'swagger/swagger.yaml'),
  '/v1/healthz': {
    get: { tags: ['health'], summary: 'health health', description: 'Perform health check.', operationId: 'health#health', produces: ['text/plain'], responses: { 200: { description: 'OK' } }, schemes: ['http'] },
  },
  '/v1/projects': {
    get: operation('project', 'list', 'Retrieve all projects.', ['application/project+json; type=collection'], [], ok('ProjectCollection')),
    post: operation('project', 'create', 'Create a new project entry', [error], [bodyParameter('CreateProjectPayload')], { 201: { description: 'Created', schema: ref('Project') }, ...badRequest, ...serverError }),
  },
  '/v1/projects/{projectid}': {
    get: operation('project', 'get', 'Retrieve project with given id.', ['application/project+json', error], [projectId], { ...ok('Project'), ...badRequest, ...notFound }),
    delete: operation('project', 'delete', 'Delete the project and everything in it.', [error], [projectId], { ...noContent, ...badRequest, ...notFound }),
  },
  '/v1/projects/{projectid}/namespaces': {
    get: operation('namespace', 'list', 'Retrieve all namespaces of the project.', ['application/namespace+json; type=collection'], [projectId], { ...ok('NamespaceCollection'), ...notFound }),
    post: operation('namespace', 'create', 'Create a namespace in the specified project', [error], [projectId, bodyParameter('CreateNamespacePayload')], { 201: { description: 'Created', schema: ref('Namespace') }, ...badRequest, ...notFound, ...serverError }),
  },
  '/v1/projects/{projectid}/namespaces/{namespaceid}': {
    get: operation('namespace', 'get', 'Get the details of the specified namespace in the project', ['application/namespace+json'], [projectId, pathParameter('namespaceid', 'namespace identifier')], { ...ok('Namespace'), ...notFound }),
    delete: operation('namespace', 'delete', 'Delete the specified namespace from the project', [error], [projectId, pathParameter('namespaceid', 'namespace identifier')], { ...noContent, ...badRequest, ...notFound }),
  },
  '/v1/projects/{projectid}/applications': {
    get: operation('application', 'list', 'Retrieve the collection of all applications in the namespace.', ['application/application+json; type=collection'], [projectId, { ...bodyParameter('ListApplicationPayload') }], { ...ok('ApplicationCollection'), ...notFound }),
    post: operation('application', 'create', 'Create an application deployment', [error], [projectId, bodyParameter('ApplicationPostBody')], { ...accepted('Application'), ...badRequest, ...notFound, ...serverError }),
  },
  '/v1/projects/{projectid}/applications/{appid}': {
    get: operation('application', 'get', 'Get the status of the specified application from the project', ['application/application+json'], [projectId, pathParameter('appid', 'application identifier')], { ...ok('Application'), ...notFound }),
    delete: operation('application', 'delete', 'Delete the specified application from the project', [error], [projectId, pathParameter('appid', 'application identifier')], { ...noContent, ...badRequest, ...notFound }),
  },
  '/v1/projects/{projectid}/cluster': {
    post: operation('cluster', 'create', 'Create the cluster resources', [error], [projectId, bodyParameter('ClusterPostBody')], { ...accepted('Cluster'), ...badRequest, ...notFound, 409: { $ref: '#/responses/Conflict' }, ...serverError }),
  },
  '/v1/projects/{projectid}/cluster/{resource_id}': {
    get: operation('cluster', 'get', 'Get the status of the cluster resources', ['application/cluster+json'], [projectId, pathParameter('resource_id', 'cluster resources identifier')], { ...ok('Cluster'), ...notFound }),
    delete: operation('cluster', 'delete', 'Delete the cluster resources', [error], [projectId, pathParameter('resource_id', 'cluster resources identifier')], { ...noContent, ...badRequest, ...notFound }),
  },
};

export const swaggerDocument = {
  swagger: '2.0',
  info: {
    title: 'krak8s API Server',
    description: 'API Service for Kubernetes, Kraken, and Helm Commands',
    license: { name: 'Apache 2.0', url: 'http://www.apache.org/licenses/LICENSE-2.0' },
    version: 'v1',
  },
  host: 'localhost:8080',
  schemes: ['http'],
  consumes: ['application/json'],
  produces: ['application/json'],
  paths,
  definitions,
  responses: sharedResponses,
  externalDocs: { description: 'API Defintions', url: 'https://github.com/samsung-cnct/krak8s/blob/master/API%20Definitions.md' },
};
