// The request log: one line per request (method, path, status, duration), never a query string's values
// (ConPaaS sends passwords there).
import { LogController, type FastifyLoggerOptions, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config/schema.ts';
import { logDestination } from './log-output.ts';

/** The URL with each query value replaced; a parameter without `=` may itself be a secret, so it goes whole. */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const parts = url
    .slice(mark + 1)
    .split('&')
    .filter((part) => part !== '')
    .map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=[Redacted]` : '[Redacted]'));
  return `${url.slice(0, mark)}?${parts.join('&')}`;
}

/** Fastify's own request serializer, with the query's values redacted (the request id is bound to every line). */
const requestForLog = (request: FastifyRequest) => ({
  method: request.method,
  url: redactQuery(request.url),
  host: request.host,
  remoteAddress: request.ip,
  remotePort: request.socket?.remotePort,
});

/** Fastify's two lines a request ("incoming request", "request completed") as one, written once answered. */
class OneLinePerRequest extends LogController {
  private readonly logsRequests: boolean;

  constructor(level: string) {
    super();
    this.logsRequests = ['trace', 'debug', 'info'].includes(level);
  }

  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    // The line is not even built when nobody will read it (log.level above info, as under load).
    if (!error && !this.logsRequests) return;
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const line = `${request.method} ${redactQuery(request.url)} ${reply.statusCode} ${durationMs}ms`;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: durationMs }, line);
    else reply.log.info({ req: request, res: reply, responseTime: durationMs }, line);
  }
}

/** The logging options of every Fastify instance we start; `stream` replaces stdout (tests read it). */
export function requestLogging(log: Config['log'], stream?: FastifyLoggerOptions['stream']) {
  const destination = stream ?? logDestination(log.format);
  return {
    logger: {
      level: log.level,
      redact: ['req.headers.authorization'],
      serializers: { req: requestForLog },
      ...(destination ? { stream: destination } : {}),
    },
    logController: new OneLinePerRequest(log.level),
  };
}
