// What every Concertim route file shares: the typed Fastify scope it is written against, and its tag.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ResourceContext } from '../../../resources/context.ts';

export type ConcertimApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export type ConcertimRoutes = (app: ConcertimApp, ctx: ResourceContext) => void;

export const tags = ['concertim'];
