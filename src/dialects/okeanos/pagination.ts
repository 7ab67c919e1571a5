// DRF's LimitOffsetPagination as the okeanos lists use it: only with ?limit, links as DRF builds them.
import type { FastifyRequest } from 'fastify';
import { messages, OkeanosError } from './errors.ts';

export interface Pagination {
  count: number;
  previous: string | null;
  next: string | null;
}

/** Python's int() on a query value: surrounding blanks, a sign and digit groups with underscores. */
function pythonInt(text: string): number | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[2].replace(/_/g, ''));
  return match[1] === '-' ? -value : value;
}

/** Python's quote_plus: letters, digits and _.-~ stay, a space is +, the rest is %XX of its UTF-8 bytes. */
const quotePlus = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');

/** DRF's replace_query_param / remove_query_param: the query rebuilt with keys sorted. */
function withParam(request: FastifyRequest, key: string, value: number | undefined): string {
  const [path, search = ''] = request.url.split(/\?(.*)/s);
  const grouped = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(search)) grouped.set(k, [...(grouped.get(k) ?? []), v]);
  if (value === undefined) grouped.delete(key);
  else grouped.set(key, [String(value)]);
  const query = [...grouped.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([k, values]) => values.map((v) => `${quotePlus(k)}=${quotePlus(v)}`))
    .join('&');
  return `${request.protocol}://${request.headers.host ?? request.hostname}${path}${query ? `?${query}` : ''}`;
}

const lastValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[value.length - 1] : value);

/** The page the query asks for, or undefined when it asks for none (no limit parameter). */
export function paginate<T>(request: FastifyRequest, items: T[]): { page: T[]; pagination: Pagination } | undefined {
  const query = request.query as Record<string, string | string[] | undefined>;
  if (!('limit' in query)) return undefined;
  const limit = pythonInt(lastValue(query.limit) ?? '');
  if (limit === undefined || limit < 0) throw new OkeanosError(400, messages.limit);
  const offsetValue = pythonInt(lastValue(query.offset) ?? '');
  const offset = offsetValue === undefined || offsetValue < 0 ? 0 : offsetValue;
  const count = items.length;
  const next = offset + limit >= count ? null : withParam(request, 'offset', offset + limit);
  const previous =
    offset <= 0
      ? null
      : offset - limit <= 0
        ? withParam(request, 'offset', undefined)
        : withParam(request, 'offset', offset - limit);
  return { page: items.slice(offset, offset + limit), pagination: { count, previous, next } };
}
