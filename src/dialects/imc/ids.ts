// The id a deploy gets: the client's Idempotency-Key when it is a uuid, as IMC uses it, else a new one.
import { randomUUID } from 'node:crypto';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `keyed`: the id is the client's key, so a deploy already made under it is a retry of this one. */
export function infrastructureIdFor(idempotencyKey: string | string[] | undefined): { id: string; keyed: boolean } {
  const key = typeof idempotencyKey === 'string' ? idempotencyKey.trim() : undefined;
  return key !== undefined && uuid.test(key)
    ? { id: key.toLowerCase(), keyed: true }
    : { id: randomUUID(), keyed: false };
}
