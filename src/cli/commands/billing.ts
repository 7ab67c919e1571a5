// billing: balances, credit grants, the ledger and monthly invoices of an account (me, user:<name>, team:<name>).
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { formatFields, formatTable } from '../output.ts';
import { positiveInteger } from '../parse.ts';
import { action, type Session } from '../session.ts';

interface Account {
  id: string;
  owner: { type: string; id: string; name: string };
  currency: string;
  prepaid: boolean;
  balance: number;
}

interface Entry {
  id: string;
  type: string;
  amount: number;
  reason: string;
  reference: string;
  createdAt: string;
}

interface Line {
  resource: { id: string; kind: string; name: string };
  unit: string;
  units: number;
  hours: number;
  unitPrice: number;
  amount: number;
}

interface Invoice {
  id: string | null;
  period: string;
  state: string;
  currency: string;
  total: number;
  lines: Line[];
  finalizedAt: string | null;
}

interface UsageMonth {
  month: string;
  invoice: string | null;
  total: number;
  kinds: { kind: string; resources: number; amount: number; units: { unit: string; unitHours: number }[] }[];
}

interface Usage {
  currency: string;
  months: UsageMonth[];
}

interface CountedPage<T> {
  items: T[];
  total: number;
}

interface PageOptions {
  account: string;
  offset?: number;
  limit?: number;
}

const accountPath = (account: string) => `/billing/accounts/${segment(account)}`;

/** Minor units as money: 1250 EUR cents is "12.50 EUR". */
const money = (amount: number, currency = '') =>
  `${amount < 0 ? '-' : ''}${(Math.abs(amount) / 100).toFixed(2)}${currency ? ` ${currency}` : ''}`;

const accountOption = (command: Command) =>
  command.option('--account <account>', 'me, user:<id|name> or team:<id|name>', 'me');

const pageOptions = (command: Command) =>
  command
    .option('--offset <n>', 'skip this many', (value) => (value === '0' ? 0 : positiveInteger(value)))
    .option('--limit <n>', 'page size', positiveInteger);

function printInvoice(session: Session, invoice: Invoice) {
  session.print(
    invoice,
    () =>
      formatFields([
        ['period', invoice.period],
        ['id', invoice.id],
        ['state', invoice.state],
        ['total', money(invoice.total, invoice.currency)],
        ['finalized', invoice.finalizedAt],
      ]) +
      '\n' +
      formatTable(invoice.lines, [
        ['RESOURCE', (l) => `${l.resource.kind}/${l.resource.name}`],
        ['UNIT', (l) => l.unit],
        ['UNITS', (l) => l.units],
        ['HOURS', (l) => l.hours.toFixed(2)],
        ['PRICE', (l) => money(l.unitPrice)],
        ['AMOUNT', (l) => money(l.amount)],
      ]),
  );
}

function registerReads(billing: Command) {
  accountOption(billing.command('balance').description("show an account's balance")).action(
    action(async (session, options: { account: string }) => {
      const account = await session.api.get<Account>(accountPath(options.account));
      session.print(account, () =>
        formatFields([
          ['account', `${account.owner.type}:${account.owner.name}`],
          ['balance', money(account.balance, account.currency)],
          ['prepaid', account.prepaid ? 'yes' : 'no'],
          ['id', account.id],
        ]),
      );
    }),
  );
  pageOptions(
    accountOption(billing.command('ledger').description("list an account's ledger entries, oldest first")),
  ).action(
    action(async (session, options: PageOptions) => {
      const page = await session.api.get<CountedPage<Entry>>(`${accountPath(options.account)}/ledger`, {
        offset: options.offset,
        limit: options.limit,
      });
      session.print(
        page,
        () =>
          formatTable(page.items, [
            ['WHEN', (e) => e.createdAt],
            ['TYPE', (e) => e.type],
            ['AMOUNT', (e) => money(e.amount)],
            ['REFERENCE', (e) => e.reference],
            ['REASON', (e) => e.reason],
          ]) + `${page.items.length} of ${page.total}\n`,
      );
    }),
  );
  pageOptions(
    accountOption(billing.command('invoices').description("list an account's finalized invoices, oldest month first")),
  ).action(
    action(async (session, options: PageOptions) => {
      const page = await session.api.get<CountedPage<Invoice>>(`${accountPath(options.account)}/invoices`, {
        offset: options.offset,
        limit: options.limit,
      });
      session.print(
        page,
        () =>
          formatTable(page.items, [
            ['PERIOD', (i) => i.period],
            ['STATE', (i) => i.state],
            ['TOTAL', (i) => money(i.total, i.currency)],
            ['ID', (i) => i.id],
          ]) + `${page.items.length} of ${page.total}\n`,
      );
    }),
  );
  accountOption(
    billing.command('invoice [invoice]').description('show an invoice: draft (default), a month YYYY-MM, or an id'),
  ).action(
    action(async (session, invoice: string | undefined, options: { account: string }) => {
      printInvoice(
        session,
        await session.api.get<Invoice>(`${accountPath(options.account)}/invoices/${segment(invoice ?? 'draft')}`),
      );
    }),
  );
}

/** One row per month and kind; a month without usage still has its row, so gaps show. */
function usageRows(usage: Usage) {
  return usage.months.flatMap((month) =>
    (month.kinds.length > 0 ? month.kinds : [undefined]).map((kind) => ({ month, kind })),
  );
}

function registerUsage(billing: Command) {
  accountOption(
    billing
      .command('usage')
      .description('usage per month and kind, as the invoices bill it (default: the last twelve months)'),
  )
    .option('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month (default: the running one)')
    .action(
      action(async (session, options: { account: string; from?: string; to?: string }) => {
        const usage = await session.api.get<Usage>(`${accountPath(options.account)}/usage`, {
          from: options.from,
          to: options.to,
        });
        session.print(usage, () =>
          formatTable(usageRows(usage), [
            ['MONTH', (r) => r.month.month],
            ['INVOICE', (r) => r.month.invoice ?? '-'],
            ['KIND', (r) => r.kind?.kind ?? '-'],
            ['RESOURCES', (r) => r.kind?.resources ?? 0],
            ['USAGE', (r) => r.kind?.units.map((u) => `${u.unitHours.toFixed(2)} ${u.unit}`).join(', ') ?? ''],
            ['AMOUNT', (r) => money(r.kind?.amount ?? 0, usage.currency)],
          ]),
        );
      }),
    );
}

function registerWrites(billing: Command) {
  accountOption(
    billing.command('grant <amount>').description('grant credit in minor units, e.g. 1000 for 10.00 (platform admins)'),
  )
    .requiredOption('--reason <text>', 'why, for the ledger')
    .option('--reference <id>', 'idempotency reference: granting it again does nothing (default: a new one)')
    .action(
      action(async (session, amount: string, options: { account: string; reason: string; reference?: string }) => {
        const body = {
          amount: positiveInteger(amount),
          reason: options.reason,
          reference: options.reference ?? `cli-${randomUUID()}`,
        };
        const entry = await session.api.post<Entry>(`${accountPath(options.account)}/grants`, body);
        session.print(entry, () =>
          formatFields([
            ['granted', money(entry.amount)],
            ['reference', entry.reference],
            ['entry', entry.id],
          ]),
        );
      }),
    );
  accountOption(
    billing.command('void <invoice>').description('void a finalized invoice, by month or id (platform admins)'),
  ).action(
    action(async (session, invoice: string, options: { account: string }) => {
      printInvoice(
        session,
        await session.api.post<Invoice>(`${accountPath(options.account)}/invoices/${segment(invoice)}/void`, undefined),
      );
    }),
  );
}

export function registerBilling(program: Command) {
  const billing = program.command('billing').description('credit balances, the ledger, invoices and usage');
  registerReads(billing);
  registerUsage(billing);
  registerWrites(billing);
}
