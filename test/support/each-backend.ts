// Runs a suite once per database backend, with a fresh server for each.
import { after, before, describe } from 'node:test';
import { backends, type Backend } from './backends.ts';
import { startServer, type TestServer } from './server.ts';

export function forEachBackend(
  title: string,
  suite: (server: () => TestServer, backend: Backend) => void,
  overrides?: Parameters<typeof startServer>[1],
) {
  for (const backend of backends()) {
    describe(`${title} [${backend}]`, () => {
      let server: TestServer;
      before(async () => {
        server = await startServer(backend, overrides);
      });
      after(async () => {
        await server?.close();
      });
      suite(() => server, backend);
    });
  }
}
