// The krak8s wire shapes (goa v1 media types and payloads): one TypeBox declaration each, for the
// payload checks, /openapi.json and the Swagger 2.0 document. Keys are in goa's (alphabetical) order.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Oid = (example: string) =>
  Type.String({ description: 'generated resource unique id (8 character hexadecimal value)', example });
const DateTime = (description: string) =>
  Type.String({ format: 'date-time', description, example: '2017-09-26T05:08:07.332657843Z' });
const ObjectType = (example: string) => Type.String({ description: 'constant: object type', example });

const Ref = (what: string, url: string) =>
  Type.Object(
    {
      oid: Type.String({ description: `${what} unique id`, example: '20b5bac8' }),
      url: Type.String({ description: `${what} url`, example: url }),
    },
    { description: `reference to a ${what}` },
  );
export const NamespaceRef = Ref('namespace', '/v1/projects/88fe3382/namespaces/114eaa29');
export const ClusterRef = Ref('cluster', '/v1/projects/88fe3382/cluster/931479e5');
export const ApplicationRef = Ref('application', '/v1/projects/88fe3382/applications/e14a6b25');
export type Ref = Static<typeof NamespaceRef>;

export const Project = Type.Object(
  {
    created_at: DateTime('Date of creation'),
    id: Oid('88fe3382'),
    name: Type.String({ minLength: 2, description: 'name of project', example: 'neptune' }),
    namespaces: nullable(Type.Array(NamespaceRef, { description: 'the namespaces of the project; null when none' })),
    type: ObjectType('project'),
  },
  { description: 'Users and tenants of the system are represented as the type Project' },
);
export type Project = Static<typeof Project>;

export const Namespace = Type.Object(
  {
    applications: nullable(
      Type.Array(ApplicationRef, { description: 'the applications in the namespace; null when none' }),
    ),
    created_at: DateTime('Date of creation'),
    id: Oid('114eaa29'),
    // minLength as goa's media type declared it, though namespace#create never checked it.
    name: Type.String({ minLength: 2, description: 'namespace name', example: 'neptune-test' }),
    resources: nullable(ClusterRef),
    type: ObjectType('namespace'),
  },
  { description: 'A namespace of a project' },
);
export type Namespace = Static<typeof Namespace>;

export const clusterStates = [
  'create_requested',
  'starting',
  'active',
  'error_starting',
  'delete_requested',
  'deleting',
  'error_deleting',
  'deleted',
] as const;

export const Cluster = Type.Object(
  {
    created_at: DateTime('Date of creation'),
    id: Oid('931479e5'),
    namespace_id: Oid('114eaa29'),
    nodePoolSize: Type.Integer({ format: 'int64', description: 'Requested node pool size', example: 4 }),
    state: Type.Union(
      clusterStates.map((state) => Type.Literal(state)),
      { description: 'Lifecycle state' },
    ),
    type: ObjectType('Resource'),
    updated_at: DateTime('Date of last change; the zero time until work on it starts'),
  },
  { description: 'Cluster resource representation type' },
);
export type Cluster = Static<typeof Cluster>;

export const applicationStates = ['UNKNOWN', 'DEPLOYED', 'DELETED', 'SUPERSEDED', 'FAILED', 'DELETING'] as const;

export const ApplicationStatus = Type.Object(
  {
    deployed_at: DateTime('Last deployment time'),
    notes: Type.Optional(
      Type.String({ description: 'Application specific notification / statuses / notes (if any); never sent' }),
    ),
    state: Type.Union(
      applicationStates.map((state) => Type.Literal(state)),
      { description: 'Deployment state (helm words)' },
    ),
  },
  { description: 'Deployment status' },
);

export const Application = Type.Object(
  {
    channel: Type.String({ description: 'Application channel', example: 'stable' }),
    config: Type.String({ description: 'the --set string given as `set` on create', example: '' }),
    created_at: DateTime('Date of creation'),
    deployment_name: Type.String({ description: 'Deployment name', example: 'neptune-mongodb' }),
    id: Oid('e14a6b25'),
    json_values: Type.String({ description: 'Application JSON values string', example: '' }),
    name: Type.String({ description: 'Application (chart) name', example: 'mongodb-replicaset' }),
    namespace_id: Oid('114eaa29'),
    registry: Type.String({ description: 'Chart registry', example: 'samsung_cnct' }),
    server: Type.String({ description: 'Chart registry server', example: 'quay.io' }),
    status: ApplicationStatus,
    type: ObjectType('application'),
    updated_at: DateTime('Date of last change'),
    username: Type.String({ description: 'Registry user name', example: '' }),
    version: Type.String({ description: 'Application version', example: 'latest' }),
  },
  { description: 'Application representation type' },
);
export type Application = Static<typeof Application>;

/** goa v1's ErrorResponse, in its struct's field order; `status` is a number on the wire. */
export const GoaError = Type.Object(
  {
    id: Type.String({
      description: 'a unique identifier for this particular occurrence of the problem',
      example: '3F1FKVRR',
    }),
    code: Type.String({ description: 'an application-specific error code', example: 'invalid_request' }),
    status: Type.Integer({ description: 'the HTTP status code', example: 400 }),
    detail: Type.String({ description: 'a human-readable explanation', example: 'missing required payload' }),
    meta: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'Error response media type (application/vnd.goa.error)' },
);
export type GoaError = Static<typeof GoaError>;

export const CreateProjectPayload = Type.Object({
  name: Type.String({ minLength: 2, description: 'name of project', example: 'neptune' }),
});

export const CreateNamespacePayload = Type.Object({
  name: Type.String({ description: 'namespace name', example: 'neptune-test' }),
});

// Attributes with a default are required, here and below, as goa declared them: decode.ts fills the default first.
export const ClusterPostBody = Type.Object({
  namespace_id: Type.String({ description: 'the namespace the cluster resources are for', example: '114eaa29' }),
  nodePoolSize: Type.Integer({
    minimum: 3,
    maximum: 11,
    default: 3,
    description: 'The number of worker nodes in the projects resource pool',
    example: 4,
  }),
});

export const ApplicationPostBody = Type.Object({
  channel: Type.Optional(Type.String({ description: 'Application channel', example: 'stable' })),
  deployment_name: Type.String({
    default: 'samsung-mongodb-replicaset',
    description: 'Deployment name',
    example: 'neptune-mongodb',
  }),
  json_values: Type.Optional(Type.String({ description: 'Application JSON values string', example: '' })),
  name: Type.String({ description: 'Application (chart) name', example: 'mongodb-replicaset' }),
  namespace_id: Type.String({ description: 'the namespace to deploy into', example: '114eaa29' }),
  password: Type.Optional(
    Type.String({ description: 'Registry password (accepted, never stored or returned)', example: '' }),
  ),
  registry: Type.Optional(
    Type.String({ default: 'samsung_cnct', description: 'Chart registry', example: 'samsung_cnct' }),
  ),
  server: Type.Optional(Type.String({ default: 'quay.io', description: 'Chart registry server', example: 'quay.io' })),
  set: Type.Optional(Type.String({ description: 'Application config --set argument string', example: '' })),
  username: Type.Optional(Type.String({ description: 'Registry user name', example: '' })),
  version: Type.String({ default: 'latest', description: 'Application version', example: 'latest' }),
});

export const ListApplicationPayload = Type.Object({
  namespaceid: Type.String({ description: 'the namespace whose applications to list', example: '114eaa29' }),
});
