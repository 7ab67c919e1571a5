// Runs the calls made for one key one after another, so two requests about one job never interleave.
export type Serializer = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function serializer(): Serializer {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
