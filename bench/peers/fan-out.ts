// Peer: bare node:http fanning created objects out to server-sent-event streams, the least a change feed can do:
// no database, no auth; a POST answers the resource's bytes and queues its event's bytes (cloudplane's own, the
// name swapped in); the events queued within the same coalescing window as cloudplane's feed are concatenated once
// and written once to every open stream. The floor for "creates while N streams read every event".
import { createServer, type ServerResponse } from 'node:http';
import { listenAndReport, readJson, settings } from './listen.ts';

interface FanOutSettings {
  /** A create's answer and its event's JSON as cloudplane sent them, each naming the resource `{{name}}`. */
  resource: string;
  event: string;
}

const { resource, event } = settings<FanOutSettings>();
const streams = new Set<ServerResponse>();
let pending: Buffer[] = [];
let flushing: NodeJS.Timeout | undefined;
let nextId = 1;

/** cloudplane's feed window: 10 ms, growing with the streams (40 per ms) up to 25 ms. */
const windowMs = () => Math.min(25, Math.max(10, streams.size / 40));

function flush() {
  flushing = undefined;
  const bytes = Buffer.concat(pending);
  pending = [];
  for (const stream of streams) stream.write(bytes);
}

const server = createServer((request, response) => {
  if (request.method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    response.write(': fan-out peer\n\n');
    streams.add(response);
    response.on('close', () => streams.delete(response));
    return;
  }
  void readJson(request).then((body) => {
    if (!body || typeof body.name !== 'string')
      return response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
    const name = JSON.stringify(body.name).slice(1, -1);
    if (streams.size > 0) {
      const data = event.replaceAll('{{name}}', name);
      pending.push(Buffer.from(`id: ${nextId++}\nevent: resource.created\ndata: ${data}\n\n`));
      flushing ??= setTimeout(flush, windowMs());
    }
    response.writeHead(201, { 'content-type': 'application/json' }).end(resource.replaceAll('{{name}}', name));
  });
});

listenAndReport(server, () => streams.forEach((stream) => stream.end()));
