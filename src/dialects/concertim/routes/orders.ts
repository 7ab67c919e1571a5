// /create_order, /delete_order, /add_order_tag: Killbill subscriptions, which cloudplane's billing does not have.
import { invalidApiCall } from '../errors.ts';
import { AddOrderTagBody, CreateOrderBody, DeleteOrderBody, Order, OrderTag, responses } from '../wire.ts';
import { tags, type ConcertimApp } from './common.ts';

/**
 * An order was a Killbill subscription whose custom fields tied it to a Heat stack. cloudplane bills each
 * resource from its own metered usage, with no subscriptions to record, cancel or tag: answering success
 * would invent ids nothing keeps, so each call is the InvalidAPICall the original raised for unsupported calls.
 */
const unsupported = () =>
  invalidApiCall(
    'orders are not supported: cloudplane has no billing subscriptions; each server and stack is billed from its own usage from the moment it is created',
  );

const description =
  'Always 406 InvalidAPICall once the body is complete (415 otherwise): see docs/dialects/concertim.md.';

export function orderRoutes(app: ConcertimApp) {
  app.post(
    '/create_order',
    {
      schema: {
        tags,
        summary: 'Not supported: open a subscription for a cluster',
        description,
        body: CreateOrderBody,
        response: responses(Order),
      },
    },
    async () => {
      throw unsupported();
    },
  );

  app.post(
    '/delete_order',
    {
      schema: {
        tags,
        summary: 'Not supported: cancel a subscription',
        description,
        body: DeleteOrderBody,
        response: responses(Order),
      },
    },
    async () => {
      throw unsupported();
    },
  );

  app.post(
    '/add_order_tag',
    {
      schema: {
        tags,
        summary: 'Not supported: tag a subscription (openstack_stack_id, openstack_stack_name)',
        description,
        body: AddOrderTagBody,
        response: responses(OrderTag),
      },
    },
    async () => {
      throw unsupported();
    },
  );
}
