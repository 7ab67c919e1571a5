// Whether the served Swagger 2.0 document describes an answer, as a client generated from it needs:
// the status among the operation's responses, the media type in its `produces`, the body valid for its schema.
import assert from 'node:assert/strict';
import type { Response } from '../../support/server.ts';

type Schema = Record<string, any>;
export type SwaggerDocument = { paths: Record<string, Record<string, Schema>>; definitions: Record<string, Schema> };

const dateTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

function validate(document: SwaggerDocument, schema: Schema, value: unknown, path: string): void {
  if (schema.$ref) {
    const definition = document.definitions[(schema.$ref as string).replace('#/definitions/', '')];
    assert.ok(definition, `${path}: ${schema.$ref} is not defined`);
    // x-nullable stands beside the $ref, on the property.
    return validate(document, { ...definition, ...(schema['x-nullable'] ? { 'x-nullable': true } : {}) }, value, path);
  }
  if (value === null) return assert.ok(schema['x-nullable'], `${path} is null, which the document does not allow`);
  switch (schema.type) {
    case 'object': {
      assert.ok(typeof value === 'object' && !Array.isArray(value), `${path} must be an object`);
      const fields = value as Record<string, unknown>;
      for (const name of schema.required ?? [])
        assert.ok(name in fields, `${path}.${name} is required by the document`);
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        if (name in fields) validate(document, property, fields[name], `${path}.${name}`);
      }
      return;
    }
    case 'array':
      assert.ok(Array.isArray(value), `${path} must be an array`);
      return value.forEach((item, index) => validate(document, schema.items, item, `${path}[${index}]`));
    case 'string':
      assert.equal(typeof value, 'string', `${path} must be a string`);
      if (schema.enum) assert.ok(schema.enum.includes(value), `${path}: ${value} is not in the enum ${schema.enum}`);
      if (schema.minLength !== undefined)
        assert.ok(
          Array.from(value as string).length >= schema.minLength,
          `${path} is shorter than ${schema.minLength}`,
        );
      if (schema.format === 'date-time') assert.match(value as string, dateTime, `${path} must be a date-time`);
      return;
    case 'integer':
      assert.ok(Number.isInteger(value), `${path} must be an integer`);
      if (schema.minimum !== undefined)
        assert.ok((value as number) >= schema.minimum, `${path} is below ${schema.minimum}`);
      if (schema.maximum !== undefined)
        assert.ok((value as number) <= schema.maximum, `${path} is above ${schema.maximum}`);
      return;
    default:
      assert.fail(`${path}: the document has no type for it`);
  }
}

/** `template` is the document's path key, e.g. `/v1/projects/{projectid}`. */
export function assertDescribed(document: SwaggerDocument, method: string, template: string, response: Response) {
  const operation = document.paths[template]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${template} is not in the document`);
  const what = `${method} ${template} ${response.status}`;
  const described = operation.responses[String(response.status)];
  assert.ok(described, `${what}: the status is not among the documented responses`);
  if (response.text === '') return assert.equal(described.schema, undefined, `${what}: the document promises a body`);
  const mediaType = response.headers.get('content-type');
  assert.ok(
    (operation.produces as string[]).includes(mediaType!),
    `${what}: ${mediaType} is not in produces ${JSON.stringify(operation.produces)}`,
  );
  if (described.schema) validate(document, described.schema, JSON.parse(response.text), 'response');
}
