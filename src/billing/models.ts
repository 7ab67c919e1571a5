// Billing on the native API: accounts, ledger entries and invoices, in integer minor units (cents).
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const entryTypes = ['grant', 'refund', 'debit', 'usage', 'callback'] as const;
export type EntryType = (typeof entryTypes)[number];

export const BillingAccount = Type.Object({
  id: Type.String(),
  owner: Type.Object({
    type: Type.Union([Type.Literal('user'), Type.Literal('team')]),
    id: Type.String(),
    name: Type.String(),
    removedAt: Type.Optional(
      Type.String({ description: 'set when the team was removed; platform admins still read its account' }),
    ),
  }),
  currency: Type.String(),
  prepaid: Type.Boolean(),
  balance: Type.Integer({ description: 'the sum of the ledger, in minor units' }),
  createdAt: Type.String(),
});
export type BillingAccount = Static<typeof BillingAccount>;

export const LedgerEntry = Type.Object({
  id: Type.String(),
  account: Type.String(),
  type: Type.Union(entryTypes.map((t) => Type.Literal(t))),
  amount: Type.Integer({ description: 'positive adds credit, negative takes it' }),
  reason: Type.String(),
  reference: Type.String({ description: 'unique per account: posting it again returns this entry' }),
  actor: Type.Union([Type.String(), Type.Null()], { description: 'user id of who posted it' }),
  createdAt: Type.String(),
});
export type LedgerEntry = Static<typeof LedgerEntry>;

export const InvoiceLine = Type.Object({
  resource: Type.Object({ id: Type.String(), kind: Type.String(), name: Type.String() }),
  unit: Type.String({ description: 'the priced unit, e.g. cpuHour' }),
  units: Type.Number({ description: 'how many of the unit the resource holds' }),
  hours: Type.Number({ description: 'hours active within the period' }),
  unitPrice: Type.Integer({ description: 'minor units per unit-hour' }),
  amount: Type.Integer(),
});
export type InvoiceLine = Static<typeof InvoiceLine>;

export const Invoice = Type.Object({
  id: Type.Union([Type.String(), Type.Null()], { description: 'null for the live draft' }),
  account: Type.String(),
  period: Type.String({ description: 'calendar month, UTC: YYYY-MM' }),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  state: Type.Union([Type.Literal('draft'), Type.Literal('final'), Type.Literal('void')]),
  currency: Type.String(),
  total: Type.Integer(),
  lines: Type.Array(InvoiceLine),
  finalizedAt: Type.Union([Type.String(), Type.Null()]),
  voidedAt: Type.Union([Type.String(), Type.Null()]),
  voidedBy: Type.Union([Type.String(), Type.Null()]),
});
export type Invoice = Static<typeof Invoice>;

export const UsageOfUnit = Type.Object({
  unit: Type.String({ description: 'the priced unit, e.g. cpuHour' }),
  unitHours: Type.Number({ description: 'units held x hours active: what is priced' }),
  hours: Type.Number({ description: 'hours the resources of the kind were active holding this unit' }),
  amount: Type.Integer(),
});

export const UsageOfKind = Type.Object({
  kind: Type.String(),
  resources: Type.Integer({ description: 'resources of the kind that were active in the month' }),
  amount: Type.Integer({ description: 'the sum of their invoice lines, in minor units' }),
  units: Type.Array(UsageOfUnit),
});

export const UsageMonth = Type.Object({
  month: Type.String({ description: 'calendar month, UTC: YYYY-MM' }),
  invoice: Type.Union([Type.Literal('draft'), Type.Literal('final'), Type.Literal('void'), Type.Null()], {
    description:
      'final or void: the lines of the stored invoice; draft: metered now as its invoice is (the running month, or one that ended and is finalized on its next read); null: the owner did not exist then',
  }),
  total: Type.Integer(),
  kinds: Type.Array(UsageOfKind, { description: 'kinds with usage, by amount, largest first' }),
});

export const Usage = Type.Object({
  account: Type.Union([Type.String(), Type.Null()], { description: 'null if the account was never used' }),
  currency: Type.String(),
  from: Type.String(),
  to: Type.String(),
  kinds: Type.Array(Type.String(), { description: 'every kind in the months, by total amount, largest first' }),
  months: Type.Array(UsageMonth, { description: 'every month from `from` to `to`, oldest first' }),
});
export type Usage = Static<typeof Usage>;
export type UsageMonth = Static<typeof UsageMonth>;
export type UsageOfKind = Static<typeof UsageOfKind>;

/** Billing lists are paged by offset with a total count, which invoice screens (Concertim) need. */
export const CountedPage = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer({ description: 'items in the whole list' }),
    next: Type.Union([Type.String(), Type.Null()], { description: 'cursor of the next page' }),
  });

export interface CountedPage<T> {
  items: T[];
  total: number;
  next: string | null;
}
