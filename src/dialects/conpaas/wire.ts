// The wire's shared pieces: the OpenAPI tag, form parameters for the document, and JSON answers with status 200.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';

export const tags = ['conpaas'];

/** Parameters are form fields or query parameters (Flask's request.values); the document lists them as a form. */
export const form = (fields: Record<string, string>) => ({
  consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'],
  body: Type.Object(
    Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, Type.String({ description })])),
  ),
});

/** The director's 401 on a certificate route. */
export const CertificateRequired = Type.String({
  description: 'text: the client certificate gives no user (cert_required)',
});

/** Every JSON answer, failures included, is a 200: `false`, `{"error": true, "msg"}` or the value asked for. */
export const answers = (success: TSchema) => ({
  200: Type.Union([success, Type.Literal(false), Type.Object({ error: Type.Literal(true), msg: Type.String() })]),
  401: CertificateRequired,
});

export const sendJson = (reply: FastifyReply, body: unknown) =>
  reply.code(200).type('application/json').send(JSON.stringify(body));

export const UserDict = Type.Object({
  uid: Type.Integer(),
  username: Type.String(),
  fname: Type.String(),
  lname: Type.String(),
  email: Type.String(),
  affiliation: Type.String(),
  password: Type.Null({ description: 'ConPaaS sent an MD5 hash here; cloudplane sends none' }),
  credit: Type.Integer({ description: 'the balance of the user billing account' }),
  created: Type.String(),
  uuid: Type.String(),
});
export type UserDict = Static<typeof UserDict>;

export const ServiceDict = Type.Object({
  sid: Type.Integer(),
  name: Type.String(),
  type: Type.String(),
  state: Type.String({ description: 'INIT, PROLOGUE, RUNNING, EPILOGUE, STOPPED or ERROR' }),
  created: Type.String(),
  manager: Type.Union([Type.String(), Type.Null()], { description: 'host:port once the service runs' }),
  vmid: Type.String({ description: 'the resource id on the native API' }),
  cloud: Type.String(),
  user_id: Type.Integer(),
});
export type ServiceDict = Static<typeof ServiceDict>;

/** Master's Application.to_dict(); `manager`, `vmid` and `cloud` were the application manager's, which cloudplane does not run. */
export const ApplicationDict = Type.Object({
  aid: Type.Integer(),
  name: Type.String(),
  uid: Type.Integer({ description: "the owner's uid" }),
  status: Type.String({ description: 'INIT, RUNNING (started) or STOPPED' }),
  manager: Type.Null({ description: 'no application manager runs: always null' }),
  vmid: Type.Null(),
  cloud: Type.Null(),
});
export type ApplicationDict = Static<typeof ApplicationDict>;

/** Master's Service.to_dict(): the service's columns and its application. */
export const ServiceInApplication = Type.Object({
  service: Type.Object({
    sid: Type.Integer(),
    name: Type.String(),
    type: Type.String(),
    state: Type.String(),
    created: Type.String(),
    cloud: Type.String(),
    subnet: Type.Null({ description: 'no VPN subnets: always null' }),
    application_id: Type.Union([Type.Integer(), Type.Null()], { description: 'null: started outside any application' }),
  }),
  application: Type.Union([ApplicationDict, Type.Null()]),
});
export type ServiceInApplication = Static<typeof ServiceInApplication>;

/** /list and /list/<aid> in the form dialects.conpaas.listForm selects. */
export const ServiceList = Type.Union([Type.Array(ServiceDict), Type.Array(ServiceInApplication)]);

/** Master's application routes: the value asked for, or master's error_response `{"error": "<message>"}`; all 200. */
export const appAnswers = (success: TSchema) => ({
  200: Type.Union([success, Type.Literal(false), Type.Object({ error: Type.String() })]),
  401: Type.String({ description: 'text: the client certificate gives no user (cert_required)' }),
});
