// Invoices per account and calendar month: the current month is a live draft; past months are finalized once.
import { commitChange, recordEvent } from '../domain/commit.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import type { ResourceContext } from '../resources/context.ts';
import * as store from '../store/billing.ts';
import { isUuid, newId, nowIso } from '../lib/ids.ts';
import { requirePlatformAdmin, resolveAccount, teamOf, type AccountAccess } from './accounts.ts';
import { writeEntry } from './ledger.ts';
import { meterTeam } from './history.ts';
import type { Invoice, InvoiceLine } from './models.ts';
import { isPeriodName, monthOf, monthsBetween, parsePeriod, type Period } from './periods.ts';

/** Usage of the account's resources in `period` up to `until`; only teams hold resources. */
async function meter(ctx: ResourceContext, access: AccountAccess, period: Period, until: Date): Promise<InvoiceLine[]> {
  const teamId = teamOf(access);
  return teamId === null ? [] : meterTeam(ctx, teamId, period, until);
}

const totalOf = (lines: InvoiceLine[]) => lines.reduce((sum, line) => sum + line.amount, 0);

/** What a team's running month has cost so far: the total of its draft. */
export const draftTotal = async (ctx: ResourceContext, teamId: string, now: Date) =>
  totalOf(await meterTeam(ctx, teamId, monthOf(now), now));

const toInvoice = (row: store.InvoiceRow): Invoice => {
  const period = parsePeriod(row.period);
  return {
    id: row.id,
    account: row.account_id,
    period: row.period,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    state: row.state as Invoice['state'],
    currency: row.currency,
    total: Number(row.total),
    lines: JSON.parse(row.lines),
    finalizedAt: row.finalized_at,
    voidedAt: row.voided_at,
    voidedBy: row.voided_by,
  };
};

async function draftOf(ctx: ResourceContext, access: AccountAccess, now: Date): Promise<Invoice> {
  const period = monthOf(now);
  const lines = await meter(ctx, access, period, now);
  const { account } = access;
  const bounds = { periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() };
  return {
    id: null,
    account: account.id,
    period: period.name,
    ...bounds,
    state: 'draft',
    currency: account.currency,
    total: totalOf(lines),
    lines,
    finalizedAt: null,
    voidedAt: null,
    voidedBy: null,
  };
}

/**
 * Materializes a month that has ended; a second call (or a concurrent one) returns the same invoice.
 * A prepaid account pays for it from its ledger at the same moment.
 */
export async function finalizeMonth(
  ctx: ResourceContext,
  access: AccountAccess,
  period: Period,
): Promise<store.InvoiceRow> {
  const { account } = access;
  const existing = await store.findInvoiceByPeriod(ctx.store.db, account.id, period.name);
  if (existing) return existing;
  if (period.end > new Date())
    throw invalid(`${period.name} has not ended; its invoice is still a draft`, { field: 'month' });
  const lines = await meter(ctx, access, period, period.end);
  const row: store.InvoiceRow = {
    id: newId(),
    account_id: account.id,
    period: period.name,
    state: 'final',
    currency: account.currency,
    total: totalOf(lines),
    lines: JSON.stringify(lines),
    finalized_at: nowIso(),
    voided_at: null,
    voided_by: null,
  };
  await commitChange(ctx, async (db) => {
    if (!(await store.insertInvoiceIfAbsent(db, row))) return;
    await recordEvent(db, null, {
      type: 'billing.invoice.finalized',
      teamId: teamOf(access),
      objectKind: 'invoice',
      objectId: row.id,
      data: { period: row.period, total: row.total },
    });
    if (account.prepaid === 1 && row.total > 0) {
      const charge = {
        type: 'usage' as const,
        amount: -row.total,
        reason: `usage in ${row.period}`,
        reference: `invoice:${row.period}`,
        actor: null,
        allowNegative: true,
      };
      await writeEntry(ctx, db, account.id, charge);
    }
  });
  return (await store.findInvoiceByPeriod(ctx.store.db, account.id, period.name))!;
}

/** Every month since the owner appeared that has ended gets its invoice; a removed team's last one is its month of removal. */
export async function finalizePastMonths(ctx: ResourceContext, access: AccountAccess, now: Date) {
  const done = new Set(await store.listInvoicePeriods(ctx.store.db, access.account.id));
  const { createdAt, removedAt } = access.owner;
  const afterRemoval = removedAt ? monthOf(monthOf(new Date(removedAt)).end) : undefined;
  const end = afterRemoval && afterRemoval.start < now ? afterRemoval : monthOf(now);
  for (const period of monthsBetween(monthOf(new Date(createdAt)), end)) {
    if (!done.has(period.name)) await finalizeMonth(ctx, access, period);
  }
}

export async function listInvoices(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  start: store.PageStart,
  limit: number,
): Promise<{ items: Invoice[]; total: number }> {
  const access = await resolveAccount(ctx, caller, ref);
  await finalizePastMonths(ctx, access, new Date());
  const db = ctx.store.db;
  const [rows, total] = await Promise.all([
    store.listInvoices(db, access.account.id, start, limit),
    store.countInvoices(db, access.account.id),
  ]);
  return { items: rows.map(toInvoice), total };
}

/** `invoice` is `draft`, an invoice id or a month (YYYY-MM): the current month is the draft, a past one is finalized. */
async function findInvoice(ctx: ResourceContext, access: AccountAccess, invoice: string): Promise<Invoice> {
  if (invoice === 'draft') return draftOf(ctx, access, new Date());
  if (isPeriodName(invoice)) {
    const period = parsePeriod(invoice);
    const now = new Date();
    const current = monthOf(now);
    if (period.start > current.start) throw invalid(`${period.name} has not begun`, { field: 'month' });
    if (period.name === current.name) return draftOf(ctx, access, now);
    return toInvoice(await finalizeMonth(ctx, access, period));
  }
  if (!isUuid(invoice))
    throw invalid(`"${invoice}" is neither an invoice id nor a month (YYYY-MM)`, { field: 'invoice' });
  const row = await store.findInvoiceById(ctx.store.db, access.account.id, invoice);
  if (!row) throw notFound('invoice', invoice);
  return toInvoice(row);
}

export const getInvoice = async (ctx: ResourceContext, caller: Caller, ref: string, invoice: string) =>
  findInvoice(ctx, await resolveAccount(ctx, caller, ref), invoice);

/** Voids a finalized invoice (platform admins); what a prepaid account paid for it is refunded. */
export async function voidInvoice(
  ctx: ResourceContext,
  caller: Caller,
  ref: string,
  invoiceRef: string,
): Promise<Invoice> {
  const access = await resolveAccount(ctx, caller, ref);
  requirePlatformAdmin(caller, 'void invoices');
  const invoice = await findInvoice(ctx, access, invoiceRef);
  if (invoice.id === null) throw conflict('a draft cannot be voided: it is finalized when its month ends');
  const id = invoice.id;
  await commitChange(ctx, async (db) => {
    if (!(await store.voidInvoice(db, id, nowIso(), caller.userId))) throw conflict(`invoice ${id} is already void`);
    await recordEvent(db, caller, {
      type: 'billing.invoice.voided',
      teamId: teamOf(access),
      objectKind: 'invoice',
      objectId: id,
      data: { period: invoice.period },
    });
    const charge = await store.findEntryByReference(db, access.account.id, `invoice:${invoice.period}`);
    if (charge) {
      const refund = {
        type: 'refund' as const,
        amount: -Number(charge.amount),
        reason: `invoice ${invoice.period} voided`,
        reference: `void:${id}`,
        actor: caller,
      };
      await writeEntry(ctx, db, access.account.id, refund);
    }
  });
  return toInvoice((await store.findInvoiceById(ctx.store.db, access.account.id, id))!);
}
