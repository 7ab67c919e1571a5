// krak8s's goa-generated Go client (samsung-cnct/krak8s `client/`, goagen v1.2.0) as it behaves on the
// wire: the requests it builds and how Go's encoding/json decodes the answers into its structs.
import type { Response, TestServer } from '../../support/server.ts';
import { rawCall } from './support.ts';

/** What Go's net/http adds to every request the client sends. */
const goHeaders = { 'user-agent': 'Go-http-client/1.1', 'accept-encoding': 'gzip' };

/** goa.NewJSONEncoder is a json.Encoder: HTML characters escaped and a trailing newline. */
const goJson = (value: unknown) =>
  `${JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)}\n`;

/** New<Action>Request: no body and no Content-Type for GET and DELETE without a payload. */
export const send = (server: TestServer, method: string, path: string) =>
  rawCall(server, method, path, undefined, goHeaders);

/** New<Action>Request with a payload: `c.Encoder.Encode(payload, &body, "*\/*")`, then `Content-Type: application/json`. */
export const sendPayload = (server: TestServer, method: string, path: string, payload: object) =>
  rawCall(server, method, path, goJson(payload), { ...goHeaders, 'content-type': 'application/json' });

/**
 * The public payload structs, fields in their declaration order: plain fields are always encoded (their
 * zero value when not set), pointer fields (`omitempty`) only when set.
 */
export const payloads = {
  createProject: (name: string) => ({ name }),
  createNamespace: (name: string) => ({ name }),
  clusterPostBody: (fields: { namespaceID: string; nodePoolSize?: number }) => ({
    namespace_id: fields.namespaceID,
    nodePoolSize: fields.nodePoolSize ?? 0,
  }),
  applicationPostBody: (fields: {
    name: string;
    namespaceID: string;
    deploymentName?: string;
    registry?: string;
    server?: string;
    version?: string;
    channel?: string;
    set?: string;
    jsonValues?: string;
    username?: string;
    password?: string;
  }) => ({
    ...(fields.channel !== undefined ? { channel: fields.channel } : {}),
    deployment_name: fields.deploymentName ?? '',
    ...(fields.jsonValues !== undefined ? { json_values: fields.jsonValues } : {}),
    name: fields.name,
    namespace_id: fields.namespaceID,
    ...(fields.password !== undefined ? { password: fields.password } : {}),
    registry: fields.registry ?? '',
    server: fields.server ?? '',
    ...(fields.set !== undefined ? { set: fields.set } : {}),
    ...(fields.username !== undefined ? { username: fields.username } : {}),
    version: fields.version ?? '',
  }),
  listApplication: (namespaceid: string) => ({ namespaceid }),
};

/** A Go field type the client's structs use. */
type GoType = 'string' | 'int' | 'time' | 'map' | GoStruct | [GoStruct];
interface GoStruct {
  [field: string]: GoType;
}

const ref: GoStruct = { oid: 'string', url: 'string' };
export const goTypes = {
  Project: { created_at: 'time', id: 'string', name: 'string', namespaces: [ref], type: 'string' },
  Namespace: { applications: [ref], created_at: 'time', id: 'string', name: 'string', resources: ref, type: 'string' },
  Cluster: {
    created_at: 'time',
    id: 'string',
    namespace_id: 'string',
    nodePoolSize: 'int',
    state: 'string',
    type: 'string',
    updated_at: 'time',
  },
  Application: {
    channel: 'string',
    config: 'string',
    created_at: 'time',
    deployment_name: 'string',
    id: 'string',
    json_values: 'string',
    name: 'string',
    namespace_id: 'string',
    registry: 'string',
    server: 'string',
    status: { deployed_at: 'time', notes: 'string', state: 'string' },
    type: 'string',
    updated_at: 'time',
    username: 'string',
    version: 'string',
  },
  /** goa.ErrorResponse, the runtime's struct (`status` an int). */
  ErrorResponse: { id: 'string', code: 'string', status: 'int', detail: 'string', meta: 'map' },
} satisfies Record<string, GoStruct>;

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** encoding/json into a Go value: null leaves the zero value, unknown keys are ignored, a wrong JSON type is an error. */
function decodeInto(type: GoType, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return null;
  const refuse = () => {
    throw new Error(
      `json: cannot unmarshal ${JSON.stringify(value)} into ${path} (${Array.isArray(type) ? 'slice' : typeof type === 'string' ? type : 'struct'})`,
    );
  };
  if (type === 'string') return typeof value === 'string' ? value : refuse();
  if (type === 'int') return Number.isInteger(value) ? value : refuse();
  if (type === 'time') return typeof value === 'string' && rfc3339.test(value) ? value : refuse();
  if (type === 'map') return typeof value === 'object' && !Array.isArray(value) ? value : refuse();
  if (Array.isArray(type))
    return Array.isArray(value) ? value.map((item, index) => decodeInto(type[0], item, `${path}[${index}]`)) : refuse();
  if (typeof value !== 'object' || Array.isArray(value)) return refuse();
  const fields = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(type).map(([name, fieldType]) => [name, decodeInto(fieldType, fields[name], `${path}.${name}`)]),
  );
}

/**
 * Decode<MediaType>: `c.Decoder.Decode(&decoded, resp.Body, resp.Header.Get("Content-Type"))`. The client
 * registers the JSON decoder for application/json and for "*\/*", so every content type is read as JSON.
 */
export function decode(response: Response, type: GoStruct | [GoStruct]): any {
  return decodeInto(type, JSON.parse(response.text), Array.isArray(type) ? 'collection' : 'response');
}
