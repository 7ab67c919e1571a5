// Peer: bare node:http, a 36-byte JSON answer to a GET and the minimum any JSON API does for a POST (read the body,
// parse it, answer JSON): the ceiling of the stack itself.
import { createServer } from 'node:http';
import { listenAndReport, readJson } from './listen.ts';

const small = JSON.stringify({ status: 'ok', service: 'baseline' });

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(small);
    return;
  }
  void readJson(request).then((body) => {
    if (!body) return response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
    response
      .writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ received: body.name ?? null }));
  });
});

listenAndReport(server);
