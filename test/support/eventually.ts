// Bounded waiting for asynchronous outcomes (no timing assertions: only "within this long at most").
import { setTimeout as sleep } from 'node:timers/promises';

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  seconds = 20,
): Promise<T> {
  let last: T | undefined;
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; await sleep(25)) {
    last = await probe();
    if (accept(last)) return last;
  }
  throw new Error(`${what}: not reached within ${seconds} s; last seen ${JSON.stringify(last)?.slice(0, 500)}`);
}
