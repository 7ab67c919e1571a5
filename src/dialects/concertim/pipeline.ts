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

/** Fastify does not read bodies of GET requests; Concertim sends one to GET /key_pairs and GET /team/limits. */
export function getBody(schema: TSchema, limitBytes: number) {
  const validate = validatorOf(schema);
  return async (request: FastifyRequest) => {
    let text = '';
    for await (const chunk of request.raw) {
      text += chunk;
      if (text.length > limitBytes) throw apiServerDefError('the request body is too large', 413);
    }
    const body = parseJson(text);
    if (!validate(body)) throw fromValidation(validate.errors ?? []);
    request.body = body;
  };
}

/** Installs the pipeline on a dialect scope: hooks, parsers, validator and error handler apply to its routes only. */
export function installPipeline(app: FastifyInstance, jwtSecret: string) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addHook('onRequest', jwtAuthentication(jwtSecret));
  app.addHook('preValidation', async (request) => {
    request.body ??= {};
  });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? validatorOf(schema as TSchema) : () => true));
  app.setErrorHandler(sendError);
}
