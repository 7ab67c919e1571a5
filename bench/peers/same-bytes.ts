// Peer: bare node:http answering every GET with the exact bytes (body and headers) of one real cloudplane get,
// fetched by the bench just before: what sending that answer costs, with no work behind it.
import { createServer } from 'node:http';
import { listenAndReport, settings } from './listen.ts';

export interface SameBytesSettings {
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

const answer = settings<SameBytesSettings>();
const body = Buffer.from(answer.body, 'base64');

const server = createServer((_request, response) => {
  response.writeHead(answer.status, answer.headers).end(body);
});

listenAndReport(server);
