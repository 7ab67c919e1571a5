// How the okeanos dialect writes an answer: DRF's compact JSON and the status envelope of non-list answers.
import type { FastifyReply } from 'fastify';

/** DRF's JSONRenderer: compact separators, UTF-8, and U+2028/U+2029 escaped. */
const drfJson = (body: unknown) =>
  JSON.stringify(body)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

export const sendJson = (reply: FastifyReply, code: number, body: unknown) =>
  reply.code(code).type('application/json').serializer(drfJson).send(body);

/** `{"status":{"code","short_description"},"data":..}`, the body of every non-list answer. */
export const sendStatus = (reply: FastifyReply, code: number, shortDescription: string, data: unknown) =>
  sendJson(reply, code, { status: { code, short_description: shortDescription }, data });
