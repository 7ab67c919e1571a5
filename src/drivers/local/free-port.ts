// Finds a TCP port on 127.0.0.1 that nothing listens on, trying a preferred one first.
import { createServer, type AddressInfo } from 'node:net';

const tryListen = (port: number): Promise<number | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => resolve(bound));
    });
  });

/** A service that is started again gets its old port back when it is still free, so its address holds. */
export const freePort = async (preferred?: number): Promise<number> => {
  const port = (preferred === undefined ? undefined : await tryListen(preferred)) ?? (await tryListen(0));
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
};
