// The Swagger 2.0 document krak8s served about itself (15 paths, 22 operations), its definitions
// converted from the TypeBox wire shapes so that the wire and the document cannot drift apart.
import type { TSchema } from '@sinclair/typebox';
import { mediaTypes } from './reply.ts';
import * as wire from './wire.ts';

type Swagger = Record<string, unknown>;

const copied = ['type', 'format', 'description', 'example', 'default', 'minLength', 'minimum', 'maximum'] as const;

/**
 * Swagger 2.0 is JSON Schema without null: a nullable value is documented by its non-null form,
 * marked `x-nullable` (the extension go-swagger and openapi-generator read) since the server sends null.
 */
export function toSwagger(schema: TSchema): Swagger {
  if (schema.anyOf) {
    const branches = (schema.anyOf as TSchema[]).filter((branch) => branch.type !== 'null');
    if (branches.every((branch) => branch.const !== undefined))
      return { type: 'string', description: schema.description, enum: branches.map((branch) => branch.const) };
    const nullable = branches.length < (schema.anyOf as TSchema[]).length;
    return {
      ...toSwagger(branches[0]),
      ...(schema.description ? { description: schema.description } : {}),
      ...(nullable ? { 'x-nullable': true } : {}),
    };
  }
  const out: Swagger = {};
  for (const key of copied) if (schema[key] !== undefined) out[key] = schema[key];
  if (schema.type === 'object' && schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, TSchema>).map(([name, property]) => [
        name,
        toSwagger(property),
      ]),
    );
    if (schema.required?.length) out.required = schema.required;
  }
  // A TypeBox Record (patternProperties) is Swagger's free-form object.
  if (
    schema.type === 'object' &&
    (schema.patternProperties || (schema.additionalProperties && typeof schema.additionalProperties === 'object'))
  )
    out.additionalProperties = true;
  if (schema.type === 'array') out.items = toSwagger(schema.items as TSchema);
  return out;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const mediaType = (identifier: string, schema: TSchema) => ({
  title: `Mediatype identifier: ${identifier}; view=default`,
  ...toSwagger(schema),
});
const collection = (name: string, identifier: string) => ({
  title: `Mediatype identifier: ${identifier}; type=collection; view=default`,
  type: 'array',
  items: ref(name),
});

/** goa named the reference media types and pointed at them: a generator makes one type for each. */
function withReferences(definition: Swagger, references: Record<string, string>): Swagger {
  const properties = { ...(definition.properties as Record<string, Swagger>) };
  for (const [property, name] of Object.entries(references))
    properties[property] = { ...ref(name), ...(properties[property]['x-nullable'] ? { 'x-nullable': true } : {}) };
  return { ...definition, properties };
}

const definitions = {
  Application: mediaType('application/application+json', wire.Application),
  ApplicationCollection: collection('Application', 'application/application+json'),
  ApplicationPostBody: { title: 'ApplicationPostBody', ...toSwagger(wire.ApplicationPostBody) },
  ApplicationRef: mediaType('application/application.ref+json', wire.ApplicationRef),
  ApplicationRefCollection: collection('ApplicationRef', 'application/application.ref+json'),
  Cluster: mediaType('application/cluster+json', wire.Cluster),
  ClusterPostBody: { title: 'ClusterPostBody', ...toSwagger(wire.ClusterPostBody) },
  ClusterRef: mediaType('application/cluster.ref+json', wire.ClusterRef),
  CreateNamespacePayload: { title: 'CreateNamespacePayload', ...toSwagger(wire.CreateNamespacePayload) },
  CreateProjectPayload: { title: 'CreateProjectPayload', ...toSwagger(wire.CreateProjectPayload) },
  ListApplicationPayload: { title: 'ListApplicationPayload', ...toSwagger(wire.ListApplicationPayload) },
  Namespace: withReferences(mediaType('application/namespace+json', wire.Namespace), {
    applications: 'ApplicationRefCollection',
    resources: 'ClusterRef',
  }),
  NamespaceCollection: collection('Namespace', 'application/namespace+json'),
  NamespaceRef: mediaType('application/namespace.ref+json', wire.NamespaceRef),
  NamespaceRefCollection: collection('NamespaceRef', 'application/namespace.ref+json'),
  Project: withReferences(mediaType('application/project+json', wire.Project), {
    namespaces: 'NamespaceRefCollection',
  }),
  ProjectCollection: collection('Project', 'application/project+json'),
  error: mediaType('application/vnd.goa.error', wire.GoaError),
};

const sharedResponses = {
  Conflict: { description: 'Conflict' },
  InternalServerError: { description: 'Internal Server Error' },
  NoContent: { description: 'No Content' },
  NotFound: { description: 'Not Found' },
};

// Path parameters in goa's (alphabetical) order, then the payload.
const pathParameter = (name: string) => ({ name, in: 'path', required: true, type: 'string' });
const bodyParameter = (definition: string) => ({
  name: 'payload',
  in: 'body',
  required: true,
  schema: ref(definition),
});
const projectId = pathParameter('projectid');

const ok = (definition: string) => ({ 200: { description: 'OK', schema: ref(definition) } });
const created = (definition: string) => ({ 201: { description: 'Created', schema: ref(definition) } });
const accepted = (definition: string) => ({ 202: { description: 'Accepted', schema: ref(definition) } });
const noContent = { 204: sharedResponses.NoContent };
const badRequest = { 400: { description: 'Bad Request', schema: ref('error') } };
const notFound = { 404: sharedResponses.NotFound };
const conflict = { 409: sharedResponses.Conflict };
const serverError = { 500: sharedResponses.InternalServerError };

/** `produces` lists every media type the operation answers with, so that a generated client decodes each one. */
function operation(
  tag: string,
  action: string,
  description: string,
  produces: string[],
  parameters: unknown[],
  responses: Record<string, unknown>,
) {
  return {
    tags: [tag],
    summary: `${action} ${tag}`,
    description,
    operationId: `${tag}#${action}`,
    produces,
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
    schemes: ['http'],
  };
}

function fileOperation(service: string, path: string, file: string) {
  return {
    get: {
      summary: `Download ${file}`,
      operationId: `${service}#${path}`,
      responses: { 200: { description: 'File downloaded', schema: { type: 'file' } } },
      schemes: ['http'],
    },
  };
}

const error = 'application/vnd.goa.error';

const paths = {
  '/openapi': fileOperation('openapi', '/openapi', 'swagger/swagger.json'),
  '/openapi.json': fileOperation('openapi', '/openapi.json', 'swagger/swagger.json'),
  '/openapi.yaml': fileOperation('openapi', '/openapi.yaml', 'swagger/swagger.yaml'),
  '/swagger': fileOperation('swagger', '/swagger', 'swagger/swagger.json'),
  '/swagger.json': fileOperation('swagger', '/swagger.json', 'swagger/swagger.json'),
  '/swagger.yaml': fileOperation('swagger', '/swagger.yaml', 'swagger/swagger.yaml'),
  '/v1/healthz': {
    get: {
      tags: ['health'],
      summary: 'health health',
      description: 'The health check service endpoint',
      operationId: 'health#health',
      produces: ['text/plain'],
      responses: { 200: { description: 'OK' } },
      schemes: ['http'],
    },
  },
  '/v1/projects': {
    get: operation('project', 'list', 'Retrieve all projects.', [mediaTypes.projects], [], ok('ProjectCollection')),
    post: operation(
      'project',
      'create',
      'Create a new project entry with the provided name.',
      [error, mediaTypes.project],
      [bodyParameter('CreateProjectPayload')],
      { ...created('Project'), ...badRequest, ...serverError },
    ),
  },
  '/v1/projects/{projectid}': {
    get: operation('project', 'get', 'Retrieve project with given id.', [error, mediaTypes.project], [projectId], {
      ...ok('Project'),
      ...badRequest,
      ...notFound,
    }),
    delete: operation(
      'project',
      'delete',
      'Delete the project with its namespaces, cluster resources and applications.',
      [error],
      [projectId],
      { ...noContent, ...badRequest, ...notFound },
    ),
  },
  '/v1/projects/{projectid}/applications': {
    // The payload is required on this GET: without it goa answered a 400, which the original document left out.
    get: operation(
      'application',
      'list',
      'Retrieve the collection of all applications in the project/namespace.',
      [mediaTypes.applications, error],
      [projectId, bodyParameter('ListApplicationPayload')],
      {
        ...ok('ApplicationCollection'),
        ...badRequest,
        ...notFound,
      },
    ),
    post: operation(
      'application',
      'create',
      'Request the creation of an application deployment in the project/namespace',
      [mediaTypes.application, error],
      [projectId, bodyParameter('ApplicationPostBody')],
      {
        ...accepted('Application'),
        ...badRequest,
        ...notFound,
        ...serverError,
      },
    ),
  },
  '/v1/projects/{projectid}/applications/{appid}': {
    get: operation(
      'application',
      'get',
      'Get the status of the specified application in the project/namespace',
      [mediaTypes.application],
      [pathParameter('appid'), projectId],
      { ...ok('Application'), ...notFound },
    ),
    delete: operation(
      'application',
      'delete',
      'Delete the specified application from the project/namespace',
      [error],
      [pathParameter('appid'), projectId],
      { ...noContent, ...badRequest, ...notFound },
    ),
  },
  '/v1/projects/{projectid}/cluster': {
    post: operation(
      'cluster',
      'create',
      'Request the creation of the cluster resources in the project/namespace',
      [mediaTypes.cluster, error],
      [projectId, bodyParameter('ClusterPostBody')],
      {
        ...accepted('Cluster'),
        ...badRequest,
        ...notFound,
        ...conflict,
        ...serverError,
      },
    ),
  },
  '/v1/projects/{projectid}/cluster/{resource_id}': {
    get: operation(
      'cluster',
      'get',
      'Get the status of the cluster resources in the project/namespace',
      [mediaTypes.cluster],
      [projectId, pathParameter('resource_id')],
      { ...ok('Cluster'), ...notFound },
    ),
    delete: operation(
      'cluster',
      'delete',
      'Delete the cluster resources from the project/namespace',
      [error],
      [projectId, pathParameter('resource_id')],
      { ...noContent, ...badRequest, ...notFound },
    ),
  },
  '/v1/projects/{projectid}/namespaces': {
    get: operation(
      'namespace',
      'list',
      'Retrieve all of a projects namespaces.',
      [mediaTypes.namespaces],
      [projectId],
      { ...ok('NamespaceCollection'), ...notFound },
    ),
    post: operation(
      'namespace',
      'create',
      'Create a namespace in the specified project',
      [error, mediaTypes.namespace],
      [projectId, bodyParameter('CreateNamespacePayload')],
      {
        ...created('Namespace'),
        ...badRequest,
        ...notFound,
        ...serverError,
      },
    ),
  },
  '/v1/projects/{projectid}/namespaces/{namespaceid}': {
    get: operation(
      'namespace',
      'get',
      'Get the details of the specified namespace from the project',
      [mediaTypes.namespace],
      [pathParameter('namespaceid'), projectId],
      { ...ok('Namespace'), ...notFound },
    ),
    delete: operation(
      'namespace',
      'delete',
      'Delete the specified namespace from the project',
      [error],
      [pathParameter('namespaceid'), projectId],
      { ...noContent, ...badRequest, ...notFound },
    ),
  },
};

export const swaggerDocument = {
  swagger: '2.0',
  info: {
    title: 'krak8s API Server',
    description: 'API Service for Kubernetes, Kraken, and Helm Commands',
    license: { name: 'Apache 2.0', url: 'https://github.com/samsung-cnct/krak8s/blob/master/LICENSE' },
    version: 'v1',
  },
  host: 'localhost:8080',
  schemes: ['http'],
  consumes: ['application/json'],
  produces: ['application/json'],
  paths,
  definitions,
  responses: sharedResponses,
  externalDocs: {
    description: 'API Defintions',
    url: 'https://github.com/samsung-cnct/krak8s/blob/master/API%20Definitions.md',
  },
};
