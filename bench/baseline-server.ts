// The baseline: a bare node:http JSON endpoint, run as a child process, that the bench compares cloudplane against.
import { createServer } from 'node:http';

const small = JSON.stringify({ status: 'ok', service: 'baseline' });

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(small);
    return;
  }
  // POST does the minimum any JSON API must: read the whole body, parse it, answer with JSON.
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      response
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ received: body.name ?? null }));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
    }
  });
});

// Port 0 picks a free port; the parent learns it through the IPC channel.
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
