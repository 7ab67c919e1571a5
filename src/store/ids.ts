// Identifiers and timestamps as the store writes them.
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered UUIDs, so ordering by id is ordering by creation, which keeps cursors simple. */
export const newId = (): string => uuidv7();

export const nowIso = (): string => new Date().toISOString();

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
