// Runs one job's operations and exit handling one at a time, so two of them never launch the same instance.

export type Serializer = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export const createSerializer = (): Serializer => {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    // A failed step must not block the next one; its caller still sees the failure.
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
};
