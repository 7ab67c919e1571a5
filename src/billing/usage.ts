// Usage per month and kind, for charts: the lines of each month's invoice (the stored one, or metered now as its draft is); a read writes nothing.
import { invalid } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import type { ResourceContext } from '../resources/context.ts';
import * as store from '../store/billing.ts';
import { resolveOwner, type AccountOwner } from './accounts.ts';
import { teamMeter } from './history.ts';
import type { InvoiceLine, Usage, UsageMonth, UsageOfKind } from './models.ts';
import { monthOf, monthsBetween, parsePeriod, type Period } from './periods.ts';

/** Ten years at most in one answer: each month is metered from the event history. */
export const maxUsageMonths = 120;
const defaultMonths = 12;

export interface UsageRange {
  from?: string;
  to?: string;
}

const monthsBefore = (period: Period, count: number) =>
  monthOf(new Date(Date.UTC(period.start.getUTCFullYear(), period.start.getUTCMonth() - count, 1)));

/** The months asked for, oldest first: `to` defaults to the running month, `from` to eleven months before `to`. */
export function usageMonths(range: UsageRange, now: Date): Period[] {
  const current = monthOf(now);
  const last = range.to === undefined ? current : parsePeriod(range.to, 'to');
  if (last.start > current.start) throw invalid(`${last.name} has not begun`, { field: 'to' });
  const first = range.from === undefined ? monthsBefore(last, defaultMonths - 1) : parsePeriod(range.from, 'from');
  if (first.start > last.start) throw invalid(`from (${first.name}) is after to (${last.name})`, { field: 'from' });
  const months = [...monthsBetween(first, last), last];
  if (months.length > maxUsageMonths)
    throw invalid(`${months.length} months asked for; at most ${maxUsageMonths} at once`, { field: 'from' });
  return months;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** Invoice lines summed per kind and unit, the costliest kind first. */
export function usageByKind(lines: InvoiceLine[]): UsageOfKind[] {
  const kinds = new Map<
    string,
    { resources: Set<string>; amount: number; units: Map<string, UsageOfKind['units'][0]> }
  >();
  for (const line of lines) {
    const kind = kinds.get(line.resource.kind) ?? { resources: new Set(), amount: 0, units: new Map() };
    kinds.set(line.resource.kind, kind);
    kind.resources.add(line.resource.id);
    kind.amount += line.amount;
    const unit = kind.units.get(line.unit) ?? { unit: line.unit, unitHours: 0, hours: 0, amount: 0 };
    kind.units.set(line.unit, unit);
    unit.unitHours += line.units * line.hours;
    unit.hours += line.hours;
    unit.amount += line.amount;
  }
  return [...kinds]
    .map(([kind, { resources, amount, units }]) => ({
      kind,
      resources: resources.size,
      amount,
      units: [...units.values()].map((u) => ({ ...u, unitHours: round(u.unitHours), hours: round(u.hours) })),
    }))
    .sort((a, b) => b.amount - a.amount || a.kind.localeCompare(b.kind));
}

/** Whether an invoice covers the month at all: from the owner's creation to a removed team's month of removal. */
function livedIn(owner: AccountOwner, period: Period): boolean {
  const first = monthOf(new Date(owner.createdAt));
  const last = owner.removedAt ? monthOf(new Date(owner.removedAt)) : undefined;
  return period.start >= first.start && (!last || period.start <= last.start);
}

export async function usageOf(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  range: UsageRange,
  now = new Date(),
): Promise<Usage> {
  const periods = usageMonths(range, now);
  const { owner } = await resolveOwner(ctx, caller, ref);
  const db = ctx.store.db;
  const account = await store.findAccountByOwner(db, owner.type, owner.id);
  const first = periods[0].name;
  const last = periods.at(-1)!;
  const stored = new Map(
    (account ? await store.listInvoicesOfMonths(db, account.id, first, last.name) : []).map((row) => [row.period, row]),
  );
  const until = (period: Period) => (period.end < now ? period.end : now);
  // Only teams hold resources; the history is read once for every month that has no stored invoice.
  const meter = owner.type === 'team' ? await teamMeter(ctx, owner.id, until(last)) : () => [];
  const months: UsageMonth[] = periods.map((period) => {
    const invoice = stored.get(period.name);
    const lines: InvoiceLine[] = invoice ? JSON.parse(invoice.lines) : meter(period, until(period));
    const kinds = usageByKind(lines);
    return {
      month: period.name,
      invoice: (invoice?.state as 'final' | 'void' | undefined) ?? (livedIn(owner, period) ? 'draft' : null),
      total: kinds.reduce((sum, kind) => sum + kind.amount, 0),
      kinds,
    };
  });
  const totals = Map.groupBy(
    months.flatMap((month) => month.kinds),
    (kind) => kind.kind,
  );
  const amountOf = (kind: string) => totals.get(kind)!.reduce((sum, k) => sum + k.amount, 0);
  return {
    account: account?.id ?? null,
    currency: account?.currency ?? ctx.config.billing.currency,
    from: first,
    to: last.name,
    kinds: [...totals.keys()].sort((a, b) => amountOf(b) - amountOf(a) || a.localeCompare(b)),
    months,
  };
}
