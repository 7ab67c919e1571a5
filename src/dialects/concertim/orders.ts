// /create_order, /delete_order, /add_order_tag: Killbill subscriptions, which cloudplane's billing does not have.
import { Type } from '@sinclair/typebox';
import { invalidApiCall } from './errors.ts';
import { responses, tags } from './pipeline.ts';
import type { ConcertimApp } from './scope.ts';

/**
 * An order was a Killbill subscription whose custom fields tied it to a Heat stack. cloudplane bills each
 * resource from its own metered usage, with no subscriptions to record, cancel or tag: answering success
 * would invent ids nothing keeps, so each call is the InvalidAPICall the original raised for unsupported calls.
 */
const unsupported = () =>
  invalidApiCall('orders are not supported: cloudplane has no billing subscriptions; each server and stack is billed from its own usage from the moment it is created');

const description = 'Always 406 InvalidAPICall once the body is complete (415 otherwise): see docs/dialects/concertim.md.';
const Order = Type.Object({ success: Type.Boolean(), order: Type.String() });

export function orderRoutes(app: ConcertimApp) {
  app.post(
    '/create_order',
    {
      schema: {
        tags,
        summary: 'Not supported: open a subscription for a cluster',
        description,
        body: Type.Object({ order: Type.Object({ billing_account_id: Type.String() }) }),
        response: responses(Order),
      },
    },
    async () => {
      throw unsupported();
    },
  );

  app.post(
    '/delete_order',
    { schema: { tags, summary: 'Not supported: cancel a subscription', description, body: Type.Object({ order: Type.Object({ order_id: Type.String() }) }), response: responses(Order) } },
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
        body: Type.Object({ tag: Type.Object({ order_id: Type.String(), tag_name: Type.String(), tag_value: Type.String() }) }),
        response: responses(Type.Object({ success: Type.Boolean(), tag: Type.String() })),
      },
    },
    async () => {
      throw unsupported();
    },
  );
}
