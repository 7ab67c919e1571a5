// Opaque cursors and the list envelope shared by every collection.
import { Type, type TSchema } from '@sinclair/typebox';
import { invalid } from '../domain/errors.ts';

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, description: 'page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'the `next` value of the previous page' })),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next: Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page' }),
  });

export const encodeCursor = (lastKey: string | number): string =>
  Buffer.from(JSON.stringify({ k: lastKey })).toString('base64url');

export function decodeCursor<T extends string | number>(
  cursor: string | undefined,
  type: 'string' | 'number',
): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))?.k;
    // A number key is an offset: a whole number the database takes, as every cursor we issue holds.
    if (type === 'number' ? Number.isSafeInteger(key) && (key as number) >= 0 : typeof key === 'string')
      return key as T;
  } catch {
    // fall through to the error below
  }
  throw invalid('cursor is not one this server issued', { field: 'cursor' });
}

/** Pages are fetched with one extra row: its presence says whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => string | number) {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}

export function pageLimit(
  requested: number | undefined,
  defaults: { defaultPageSize: number; maxPageSize: number },
): number {
  return Math.min(requested ?? defaults.defaultPageSize, defaults.maxPageSize);
}

const pageStart = Buffer.from('{"items":[');
const comma = Buffer.from(',');

/** The list envelope around items already rendered as JSON, byte for byte what Page(schema) would serialise. */
export function renderedPage(rows: { id: string; json: string; bytes?: Buffer }[], limit: number): Buffer {
  const items = rows.slice(0, limit);
  const next = rows.length > limit ? JSON.stringify(encodeCursor(items[items.length - 1].id)) : 'null';
  const parts: Buffer[] = [pageStart];
  items.forEach((item, i) => {
    if (i > 0) parts.push(comma);
    parts.push((item.bytes ??= Buffer.from(item.json)));
  });
  parts.push(Buffer.from(`],"next":${next}}`));
  return Buffer.concat(parts);
}
