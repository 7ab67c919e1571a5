// Core objects in the shapes Concertim parses: Killbill invoices (A.6), Nova key pairs, limits and quotas.
import type { Invoice, InvoiceLine } from '../../billing/models.ts';
import type { KeyPair } from '../../keypairs/models.ts';
import type { Quotas, Usage } from '../../resources/quotas.ts';
import type { Resource } from '../../resources/models.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { getResource } from '../../resources/resources.ts';
import type { BillingAccountRow } from '../../store/billing.ts';
import { nowIso } from '../../lib/ids.ts';
import { concertimService } from './cloud-env.ts';

const statusOf: Record<Invoice['state'], string> = { draft: 'DRAFT', final: 'COMMITTED', void: 'VOID' };

/** Amounts are integer minor units here and decimal major units in Killbill. */
export const major = (minor: number) => minor / 100;
const dayOf = (iso: string) => iso.slice(0, 10);
const lastDayOf = (invoice: Invoice) => dayOf(new Date(Date.parse(invoice.periodEnd) - 1).toISOString());

/** A prepaid account paid a finalized invoice from its credit: Killbill shows that as a credit adjustment. */
const creditAdjustmentOf = (invoice: Invoice, account: BillingAccountRow) =>
  invoice.state === 'final' && account.prepaid === 1 ? -major(invoice.total) : 0;

type Items = Record<string, Record<string, unknown>>;

/** `items` is an object keyed by id in single invoices and an empty list in lists (as the client's fakes have it). */
export function killbillInvoice(invoice: Invoice, account: BillingAccountRow, items: Items | [] = []) {
  const amount = major(invoice.total);
  const creditAdjustment = creditAdjustmentOf(invoice, account);
  return {
    account_id: account.id,
    amount,
    audit_logs: [],
    balance: invoice.state === 'void' ? 0 : amount + creditAdjustment,
    bundle_keys: null,
    credit_adj: creditAdjustment,
    credits: null,
    currency: invoice.currency,
    invoice_date: dayOf(invoice.finalizedAt ?? nowIso()),
    // The draft has no id of its own; its month names it, and get_account_invoice accepts a month.
    invoice_id: invoice.id ?? invoice.period,
    invoice_number: invoice.id === null ? null : invoice.period,
    is_parent_invoice: false,
    items,
    parent_account_id: null,
    parent_invoice_id: null,
    refund_adj: 0,
    status: statusOf[invoice.state],
    target_date: lastDayOf(invoice),
    tracking_ids: [],
  };
}

/** The stack a line's resource belongs to (Killbill grouped costs by the stack of a subscription), else the resource itself. */
async function stackOf(ctx: ResourceContext, teamId: string, line: InvoiceLine): Promise<{ id: string; name: string }> {
  if (line.resource.kind !== 'server') return line.resource;
  const parent = (await getResource(ctx, concertimService, teamId, line.resource.id)).metadata.parent;
  return parent
    ? { id: parent, name: (await getResource(ctx, concertimService, teamId, parent)).metadata.name }
    : line.resource;
}

/** Cost items per stack and a credits item for what prepaid credit paid, as _build_invoice_dict makes them. */
export async function invoiceItems(ctx: ResourceContext, invoice: Invoice, account: BillingAccountRow): Promise<Items> {
  const dates = {
    start_date: dayOf(invoice.periodStart),
    end_date: invoice.state === 'draft' ? dayOf(nowIso()) : lastDayOf(invoice),
    currency: invoice.currency,
  };
  const costs = new Map<string, { name: string; amount: number }>();
  for (const line of invoice.lines) {
    const stack = account.owner_type === 'team' ? await stackOf(ctx, account.owner_id, line) : line.resource;
    const cost = costs.get(stack.id) ?? { name: stack.name, amount: 0 };
    costs.set(stack.id, { ...cost, amount: cost.amount + line.amount });
  }
  const items: Items = {};
  for (const [id, cost] of costs) {
    items[id] = {
      amount: major(cost.amount),
      openstack_stack_id: id,
      openstack_stack_name: cost.name,
      ...dates,
      type: 'cost',
    };
  }
  const credit = creditAdjustmentOf(invoice, account);
  if (credit !== 0) items[`credit-${invoice.id}`] = { amount: credit, ...dates, type: 'credits' };
  return items;
}

/** Nova's key pair: its id is its name, its fingerprint the MD5 form. */
export const novaKeyPair = (keyPair: KeyPair) => ({
  id: keyPair.name,
  name: keyPair.name,
  public_key: keyPair.publicKey,
  fingerprint: keyPair.fingerprintMd5,
});

/** Nova's word for "no limit". */
const unlimited = -1;

/** Nova's absolute limits from a team's quotas; cinder's are zero, as cloudplane has no volumes. */
export function absoluteLimits(quotas: Quotas, usage: Usage) {
  return {
    maxTotalCores: quotas.maxCpus ?? unlimited,
    maxTotalRAMSize: quotas.maxMemoryMiB ?? unlimited,
    maxTotalInstances: quotas.maxResources?.server ?? unlimited,
    totalCoresUsed: usage.cpus,
    totalRAMUsed: usage.memoryMiB,
    totalInstancesUsed: usage.resources.server ?? 0,
    maxTotalVolumes: 0,
    maxTotalVolumeGigabytes: 0,
    totalVolumesUsed: 0,
    totalGigabytesUsed: 0,
  };
}

/** Nova's quota set (cores, ram, instances), Heat's stacks, and any other kind's limit under its plural. */
export function quotaSet(teamId: string, quotas: Quotas) {
  const perKind = Object.fromEntries(
    Object.entries(quotas.maxResources ?? {})
      .filter(([kind]) => kind !== 'server')
      .map(([kind, max]) => [`${kind}s`, max]),
  );
  return {
    id: teamId,
    cores: quotas.maxCpus ?? unlimited,
    ram: quotas.maxMemoryMiB ?? unlimited,
    instances: quotas.maxResources?.server ?? unlimited,
    ...perKind,
    volumes: 0,
    gigabytes: 0,
  };
}

const gib = (mib: number) => mib / 1024;

/** Nova's hypervisor statistics from the servers that hold their cpus, memory and disk. */
export function cloudStatistics(servers: Resource[]) {
  const sum = (field: string) => servers.reduce((total, server) => total + Number(server.spec[field] ?? 0), 0);
  return {
    total_vcpus: null,
    used_vcpus: sum('cpus'),
    total_disk_space: null,
    used_disk_space: sum('diskGiB'),
    total_ram: null,
    used_ram: gib(sum('memoryMiB')),
    running_vms: servers.filter((server) => server.status.state === 'active').length,
  };
}
