// Request payloads decoded and checked as goa v1 does, with its messages: the checks come from the
// TypeBox payload schemas in wire.ts (defaults, then required, type, length in runes, range).
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { GoaError, badRequest, goaErrorId } from './errors.ts';

interface Problem {
  message: string;
  meta: [string, unknown][];
}

/** How deep a value in a message is shown: a body nested 5,000 deep must not overflow the stack when echoed. */
const shownDepth = 8;

/** The value cut at `shownDepth`, what lies deeper shown as "...". Recursion is bounded by `depth`. */
function cutShort(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return '...';
  if (Array.isArray(value)) return value.map((item) => cutShort(item, depth - 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutShort(item, depth - 1)]));
}

/** Go's %#v for the values in messages (as JSON), cut short where they nest deeply. */
const goSyntax = (value: unknown) => JSON.stringify(cutShort(value, shownDepth));

const missing = (context: string, name: string): Problem => ({
  message: `attribute ${goSyntax(name)} of ${context} is missing and required`,
  meta: [
    ['attribute', name],
    ['parent', context],
  ],
});

const wrongType = (attribute: string, value: unknown, expected: string): Problem => ({
  message: `type of ${attribute} must be ${expected} but got value ${goSyntax(value)}`,
  meta: [
    ['attribute', attribute],
    ['value', value],
    ['expected', expected],
  ],
});

function outOfBounds(
  attribute: string,
  value: number | string,
  actual: number,
  bound: number,
  minimum: boolean,
  length: boolean,
): Problem {
  const comp = minimum ? 'greater than or equal to' : 'less than or equal to';
  const message = length
    ? `length of ${attribute} must be ${comp} ${bound} but got value ${goSyntax(value)} (len=${actual})`
    : `${attribute} must be ${comp} ${bound} but got value ${goSyntax(value)}`;
  const meta: [string, unknown][] = [
    ['attribute', attribute],
    ['value', value],
    ...(length ? ([['len', actual]] as [string, unknown][]) : []),
    ['comp', comp],
    ['expected', bound],
  ];
  return { message, meta };
}

function checkAttribute(attribute: string, schema: TSchema, value: unknown): Problem[] {
  if (schema.type === 'string') {
    if (typeof value !== 'string') return [wrongType(attribute, value, 'string')];
    const runes = Array.from(value).length;
    if (schema.minLength !== undefined && runes < schema.minLength)
      return [outOfBounds(attribute, value, runes, schema.minLength, true, true)];
    return [];
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) return [wrongType(attribute, value, 'integer')];
  if (schema.minimum !== undefined && value < schema.minimum)
    return [outOfBounds(attribute, value, value, schema.minimum, true, false)];
  if (schema.maximum !== undefined && value > schema.maximum)
    return [outOfBounds(attribute, value, value, schema.maximum, false, false)];
  return [];
}

function check(schema: TObject, context: string, raw: Record<string, unknown>): Problem[] {
  const problems = (schema.required ?? []).filter((name) => raw[name] == null).map((name) => missing(context, name));
  for (const [name, property] of Object.entries(schema.properties)) {
    if (raw[name] != null) problems.push(...checkAttribute(`${context}.${name}`, property, raw[name]));
  }
  return problems;
}

/** goa merges problems with "; " and wraps them in a bad_request whose detail is the inner error's text. */
function rejection(problems: Problem[]): GoaError {
  const meta = new Map(problems.flatMap((problem) => problem.meta));
  const metaText = [...meta]
    .map(([key, value]) => `, ${key}: ${typeof value === 'string' ? value : goSyntax(value)}`)
    .join('');
  return badRequest(
    `[${goaErrorId()}] 400 invalid_request: ${problems.map((problem) => problem.message).join('; ')}${metaText}`,
  );
}

/**
 * `context` is the name goa's generated code gives the payload in messages ("raw" for the
 * project, namespace and list payloads, "response" for the cluster and application bodies).
 */
export function decodePayload<T extends TObject>(schema: T, context: string, body: unknown): Static<T> {
  if (body === undefined || body === '') throw new GoaError(400, 'invalid_request', 'missing required payload');
  let raw: unknown;
  try {
    raw = JSON.parse(String(body));
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw rejection([wrongType(context, raw, 'object')]);
  const payload = raw as Record<string, unknown>;
  // goa's Finalize, then Validate: an attribute that has a default is never missing.
  for (const [name, property] of Object.entries(schema.properties)) {
    if (payload[name] == null && property.default !== undefined) payload[name] = property.default;
  }
  const problems = check(schema, context, payload);
  if (problems.length > 0) throw rejection(problems);
  return payload as Static<T>;
}
