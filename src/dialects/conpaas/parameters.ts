// Parameters as Flask's request.values has them: the query string, then a form-encoded or multipart body.
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { malformedBody } from './errors.ts';

/** In this dialect's scope only: form and multipart bodies; any other body (JSON too) is read and ignored, as Flask does. */
export async function installValueParsers(app: FastifyInstance) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
  await app.register(formbody);
  // A CSR is a few kilobytes; nothing else on this wire is a file.
  await app.register(multipart, { limits: { fileSize: 65536, files: 4 } });
  app.addHook('preValidation', readMultipartBody);
}

/** Fields as strings and files as buffers, like Werkzeug's request.form and request.files; a body busboy cannot read is a 400. */
async function readMultipartBody(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  const body: Record<string, string | Buffer> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') body[part.fieldname] = await part.toBuffer();
      else if (typeof part.value === 'string') body[part.fieldname] = part.value;
    }
  } catch (error) {
    throw malformedBody(`multipart/form-data body: ${(error as Error).message}`);
  }
  request.body = body;
}

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** The string parameters of the request; the query string wins over the body, as in Werkzeug's CombinedMultiDict. */
export function valuesOf(request: FastifyRequest): Record<string, string> {
  const values: Record<string, string> = {};
  for (const source of [request.body, request.query]) {
    if (!source || typeof source !== 'object') continue;
    for (const [key, raw] of Object.entries(source)) {
      const value = first(raw);
      if (typeof value === 'string') values[key] = value;
    }
  }
  return values;
}

/** An uploaded file's content (multipart), as Flask's request.files; a plain field of that name is not a file. */
export function fileOf(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body && typeof body === 'object' ? first(body[name]) : undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** Python's int() on a string: optional blanks and sign around decimal digits. */
export function parseInteger(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  const number = Number(value.trim());
  return Number.isSafeInteger(number) ? number : undefined;
}
