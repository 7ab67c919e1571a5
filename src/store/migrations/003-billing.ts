// Billing: one account per user or team, its append-only credit ledger, and finalized monthly invoices.
import type { Kysely, Migration } from 'kysely';

export const billingSchema: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('billing_accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('owner_type', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('prepaid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('billing_accounts_owner', ['owner_type', 'owner_id'])
      .execute();

    await db.schema
      .createTable('ledger_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('billing_accounts.id').onDelete('cascade'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      // The idempotency reference: the same one twice is the same entry.
      .addUniqueConstraint('ledger_entries_reference', ['account_id', 'reference'])
      .execute();
    await db.schema.createIndex('ledger_entries_account').on('ledger_entries').columns(['account_id', 'id']).execute();

    await db.schema
      .createTable('invoices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull().references('billing_accounts.id').onDelete('cascade'))
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('total', 'bigint', (c) => c.notNull())
      .addColumn('lines', 'text', (c) => c.notNull())
      .addColumn('finalized_at', 'text', (c) => c.notNull())
      .addColumn('voided_at', 'text')
      .addColumn('voided_by', 'text')
      .addUniqueConstraint('invoices_account_period', ['account_id', 'period'])
      .execute();
    // Metering reads a team's resource lifecycle events in order.
    await db.schema.createIndex('events_team_type').on('events').columns(['team_id', 'type', 'id']).execute();
  },
};
