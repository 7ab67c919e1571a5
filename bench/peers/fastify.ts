// Peer: Fastify answering every GET with the JSON of one real cloudplane get, serialised per request; with
// `schema`, through the Resource response schema cloudplane's route declares (fast-json-stringify).
import Fastify from 'fastify';
import { Resource } from '../../src/resources/models.ts';
import { settings } from './listen.ts';

export interface FastifySettings {
  resource: Record<string, unknown>;
  schema: boolean;
}

const { resource, schema } = settings<FastifySettings>();
const app = Fastify({ logger: false });
app.get('/*', schema ? { schema: { response: { 200: Resource } } } : {}, async () => resource);

const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ port: Number(new URL(address).port) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
