// Record uuids as Django's UUIDField reads them: 32 hex digits, with or without hyphens or braces.
import { OkeanosError } from './errors.ts';

/** The canonical lowercase form, which is the resource id; undefined when `value` is no uuid. */
export function canonicalUuid(value: string): string | undefined {
  const hex = value
    .trim()
    .replace(/^urn:uuid:/i, '')
    .replace(/[{}-]/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The uuid of a create body, or DRF's field error. */
export function requireUuid(value: string): string {
  const canonical = canonicalUuid(value);
  if (!canonical) throw new OkeanosError(400, `uuid: "${value}" is not a valid UUID.`);
  return canonical;
}
