// Usage from the event history: how long each resource was active within a period, at the size it had then, priced per unit-hour.
import type { InvoiceLine } from './models.ts';
import type { Period } from './periods.ts';

/** One lifecycle event of a resource: the state it entered at a time. */
export interface StateChange {
  at: string;
  resourceId: string;
  state: string;
}

/** A spec a resource had from a time on, as its resource.created or resource.updated event recorded it. */
export interface SpecChange {
  at: string;
  resourceId: string;
  spec: Record<string, unknown>;
}

export interface MeteredResource {
  id: string;
  kind: string;
  name: string;
  /** Its current spec: the size for any time no recorded spec covers. */
  spec: Record<string, unknown>;
}

export type PriceList = Record<string, Record<string, number>>;

type Interval = [from: number, to: number];

const billableStates = new Set(['active']);

/** The times (epoch ms) each resource spent in a billable state within [start, end); changes must be in order. */
export function activeIntervals(changes: StateChange[], start: Date, end: Date): Map<string, Interval[]> {
  const since = new Map<string, number>();
  const intervals = new Map<string, Interval[]>();
  const add = (resourceId: string, from: number, to: number) => {
    const clipped: Interval = [Math.max(from, start.getTime()), Math.min(to, end.getTime())];
    if (clipped[1] > clipped[0]) intervals.set(resourceId, [...(intervals.get(resourceId) ?? []), clipped]);
  };
  for (const change of changes) {
    const at = Date.parse(change.at);
    const activeSince = since.get(change.resourceId);
    if (activeSince !== undefined && !billableStates.has(change.state)) {
      add(change.resourceId, activeSince, at);
      since.delete(change.resourceId);
    } else if (activeSince === undefined && billableStates.has(change.state)) {
      since.set(change.resourceId, at);
    }
  }
  for (const [resourceId, activeSince] of since) add(resourceId, activeSince, end.getTime());
  return intervals;
}

/** Seconds each resource spent in a billable state within [start, end). */
export function activeSeconds(changes: StateChange[], start: Date, end: Date): Map<string, number> {
  const seconds = new Map<string, number>();
  for (const [resourceId, intervals] of activeIntervals(changes, start, end)) {
    seconds.set(
      resourceId,
      intervals.reduce((sum, [from, to]) => sum + (to - from) / 1000, 0),
    );
  }
  return seconds;
}

/**
 * Splits an interval where the recorded spec changes: [spec, milliseconds] pieces. Before the first
 * record the first one holds (the nearest known size); with no record at all, the current spec.
 */
function sizedPieces(
  [from, to]: Interval,
  recorded: SpecChange[],
  current: Record<string, unknown>,
): [Record<string, unknown>, number][] {
  const pieces: [Record<string, unknown>, number][] = [];
  let spec = recorded[0]?.spec ?? current;
  let cursor = from;
  for (const change of recorded) {
    const at = Date.parse(change.at);
    if (at >= to) break;
    if (at > cursor) {
      pieces.push([spec, at - cursor]);
      cursor = at;
    }
    spec = change.spec;
  }
  pieces.push([spec, to - cursor]);
  return pieces;
}

interface Usage {
  unit: string;
  units: number;
  seconds: number;
}

/** Active seconds per priced unit and size: a resize makes a second line for the same unit. */
/** A kind's billing units for a spec (the kind registry answers; see KindDefinition.billingUnits). */
export type UnitsOf = (kind: string, spec: Record<string, unknown>) => Record<string, number>;

function usageOf(
  resource: MeteredResource,
  intervals: Interval[],
  recorded: SpecChange[],
  prices: Record<string, number>,
  unitsOf: UnitsOf,
): Usage[] {
  const usage = new Map<string, Usage>();
  for (const interval of intervals) {
    for (const [spec, ms] of sizedPieces(interval, recorded, resource.spec)) {
      for (const [unit, units] of Object.entries(unitsOf(resource.kind, spec))) {
        if (prices[unit] === undefined || units <= 0) continue;
        const key = `${unit}/${units}`;
        const entry = usage.get(key) ?? { unit, units, seconds: 0 };
        entry.seconds += ms / 1000;
        usage.set(key, entry);
      }
    }
  }
  const units = [...new Set([...usage.values()].map((u) => u.unit))];
  return [...usage.values()].sort((a, b) => units.indexOf(a.unit) - units.indexOf(b.unit));
}

/** One line per resource, priced unit and size; amounts are rounded per line to whole minor units. */
export function meterUsage(input: {
  changes: StateChange[];
  specs?: SpecChange[];
  resources: MeteredResource[];
  prices: PriceList;
  unitsOf: UnitsOf;
  period: Period;
  until: Date;
}): InvoiceLine[] {
  const end = input.until < input.period.end ? input.until : input.period.end;
  const active = activeIntervals(input.changes, input.period.start, end);
  const recorded = Map.groupBy(input.specs ?? [], (s) => s.resourceId);
  const lines: InvoiceLine[] = [];
  for (const resource of [...input.resources].sort((a, b) => a.id.localeCompare(b.id))) {
    const intervals = active.get(resource.id);
    if (!intervals) continue;
    const prices = input.prices[resource.kind] ?? {};
    for (const { unit, units, seconds } of usageOf(
      resource,
      intervals,
      recorded.get(resource.id) ?? [],
      prices,
      input.unitsOf,
    )) {
      const hours = seconds / 3600;
      lines.push({
        resource: { id: resource.id, kind: resource.kind, name: resource.name },
        unit,
        units,
        hours: Math.round(hours * 1e6) / 1e6,
        unitPrice: prices[unit],
        amount: Math.round(units * hours * prices[unit]),
      });
    }
  }
  return lines;
}
