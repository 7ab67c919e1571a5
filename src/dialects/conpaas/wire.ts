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

/** Every JSON answer, failures included, is a 200: `false`, `{"error": true, "msg"}` or the value asked for. */
export const answers = (success: TSchema) => ({
  200: Type.Union([success, Type.Literal(false), Type.Object({ error: Type.Literal(true), msg: Type.String() })]),
  401: Type.String({ description: 'text: the client certificate gives no user (cert_required)' }),
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
