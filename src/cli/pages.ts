// The list envelope {items, next} and following its `next` cursors to the end.
import type { Client, Query } from './client.ts';

export interface Page<T> {
  items: T[];
  next: string | null;
}

export async function fetchAll<T>(api: Client, path: string, query: Query = {}): Promise<Page<T>> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<T>>(path, { ...query, cursor });
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor !== undefined);
  return { items, next: null };
}
