// How every peer server starts: on a port the system picks, reported to the bench over IPC; SIGTERM stops it.
import type { Server } from 'node:http';

/** The peer's settings: the JSON the bench passes as its one argument. */
export const settings = <T>(): T => JSON.parse(process.argv[2] ?? '{}') as T;

export function listenAndReport(server: Server, onStop: () => void = () => {}): void {
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.send?.({ port: address.port });
  });
  process.once('SIGTERM', () =>
    server.close(() => {
      onStop();
      process.exit(0);
    }),
  );
}

/** Reads a request's whole body as parsed JSON, as any JSON API must; undefined when it is not JSON. */
export function readJson(request: NodeJS.ReadableStream): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}
