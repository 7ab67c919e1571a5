// The request pipeline every Concertim route shares (A.3): JWT check, JSON body, required keys, error body.
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { jwtAuthentication } from './auth.ts';
import { apiServerDefError, fromValidation, sendError } from './errors.ts';

/** Every error collected, with its schema, so that all missing keys are named at once. */
const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, strict: false });

const compiled = new WeakMap<object, ValidateFunction>();
const validatorOf = (schema: TSchema) => {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
};

/** Bodies are JSON whatever the Content-Type says; an empty one has no keys (so a 415 names them). */
function parseJson(text: string) {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw apiServerDefError('the request body is not valid JSON');
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Names = new Set(['utf-8', 'utf8', 'us-ascii']);

/** JSON is UTF-8 (RFC 8259): another declared charset, or bytes that are not UTF-8, would be read wrongly, so they are refused. */
function parseBody(bytes: Buffer, contentType: string | undefined) {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1].toLowerCase();
  if (charset !== undefined && !utf8Names.has(charset))
    throw apiServerDefError(`the request body must be UTF-8 JSON, not charset=${charset}`);
  try {
    return parseJson(utf8.decode(bytes));
  } catch (error) {
    if (error instanceof TypeError) throw apiServerDefError('the request body is not UTF-8');
    throw error;
  }
}

/** Fastify does not read bodies of GET requests; Concertim sends one to GET /key_pairs and GET /team/limits. */
export function getBody(schema: TSchema, limitBytes: number) {
  const validate = validatorOf(schema);
  return async (request: FastifyRequest) => {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of request.raw as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length > limitBytes) throw apiServerDefError('the request body is too large', 413);
    }
    const body = parseBody(Buffer.concat(chunks), request.headers['content-type']);
    if (!validate(body)) throw fromValidation(validate.errors ?? []);
    request.body = body;
  };
}

/** Installs the pipeline on a dialect scope: hooks, parsers, validator and error handler apply to its routes only. */
export function installPipeline(app: FastifyInstance, jwtSecret: string) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseBody(body as Buffer, request.headers['content-type']));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('onRequest', jwtAuthentication(jwtSecret));
  app.addHook('preValidation', async (request) => {
    request.body ??= {};
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? validatorOf(schema as TSchema) : () => true,
  );
  app.setErrorHandler(sendError);
}
