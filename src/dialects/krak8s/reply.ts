// Bodies exactly as Go's json.Encoder writes them: HTML-safe escapes and a trailing newline.
import type { FastifyReply } from 'fastify';

const htmlEscapes: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export const goJson = (value: unknown): string =>
  `${JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => htmlEscapes[c])}\n`;

/** A serializer of its own keeps Fastify from rewriting the media type (it would add a charset to JSON types). */
export function sendGoJson(reply: FastifyReply, status: number, contentType: string, value: unknown) {
  return reply
    .code(status)
    .type(contentType)
    .serializer((text: string) => text)
    .send(goJson(value));
}

export const mediaTypes = {
  project: 'application/project+json',
  projects: 'application/project+json; type=collection',
  namespace: 'application/namespace+json',
  namespaces: 'application/namespace+json; type=collection',
  cluster: 'application/cluster+json',
  application: 'application/application+json',
  applications: 'application/application+json; type=collection',
} as const;

export const sendNoContent = (reply: FastifyReply) => reply.code(204).send();
