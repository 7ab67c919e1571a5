// Identifiers (UUIDv7) and timestamps: pure helpers every layer uses, the store first.
import { randomFillSync } from 'node:crypto';

const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

// Process-wide on purpose, like any UUIDv7 generator: ids must keep increasing across all callers,
// and drawing random bytes from a pool costs a fraction of a microsecond instead of a syscall per id.
const randomPool = Buffer.alloc(4096);
let poolOffset = randomPool.length;
let lastMillis = 0;
let sequence = 0;

function randomBytes(count: number): number {
  if (poolOffset + count > randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += count;
  return offset;
}

/** The 48-bit time and 12-bit sequence of the next id: within one millisecond the sequence counts up (RFC 9562 §6.2 method 1). */
function nextTimeAndSequence(): [number, number] {
  const now = Date.now();
  if (now > lastMillis) {
    lastMillis = now;
    const at = randomBytes(2);
    sequence = ((randomPool[at] << 8) | randomPool[at + 1]) & 0x7ff; // half the range left to count up in
  } else if (++sequence > 0xfff) {
    lastMillis += 1; // more than 2048 ids in one millisecond: borrow the next one, order is kept
    sequence = 0;
  }
  return [lastMillis, sequence];
}

/** Time-ordered UUIDv7s, so ordering by id is ordering by creation, which keeps cursors simple. */
export function newId(): string {
  const [millis, seq] = nextTimeAndSequence();
  const time = millis.toString(16).padStart(12, '0');
  const b = randomPool;
  const r = randomBytes(8);
  const versionAndSequence = (0x7000 | seq).toString(16);
  const variant = hex[(b[r] & 0x3f) | 0x80];
  return `${time.slice(0, 8)}-${time.slice(8)}-${versionAndSequence}-${variant}${hex[b[r + 1]]}-${hex[b[r + 2]]}${hex[b[r + 3]]}${hex[b[r + 4]]}${hex[b[r + 5]]}${hex[b[r + 6]]}${hex[b[r + 7]]}`;
}

export const nowIso = (): string => new Date().toISOString();

export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
