import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeSeconds, meterUsage, type SpecChange, type StateChange } from '../../src/billing/metering.ts';
import { monthOf, monthsBetween, parsePeriod } from '../../src/billing/periods.ts';
import { billingUnitsOf, createKindRegistry } from '../../src/resources/kinds/registry.ts';

const kinds = createKindRegistry();
/** Each kind's own billing units, as the server meters them. */
const unitsOf = (kind: string, spec: Record<string, unknown>) => billingUnitsOf(kinds, kind, spec);

const change = (at: string, state: string, resourceId = 'r1'): StateChange => ({ at, resourceId, state });
const hours = (seconds: number | undefined) => (seconds ?? 0) / 3600;

test('only time in the active state counts, across stops and restarts', () => {
  const march = parsePeriod('2024-03');
  const changes = [
    change('2024-03-01T00:00:00.000Z', 'pending'),
    change('2024-03-01T01:00:00.000Z', 'provisioning'),
    change('2024-03-01T02:00:00.000Z', 'active'),
    change('2024-03-01T05:00:00.000Z', 'stopped'),
    change('2024-03-02T00:00:00.000Z', 'active'),
    change('2024-03-02T00:30:00.000Z', 'deleting'),
    change('2024-03-02T00:31:00.000Z', 'deleted'),
  ];
  assert.equal(hours(activeSeconds(changes, march.start, march.end).get('r1')), 3.5);
});

test('intervals are clipped to the period on both ends, and an active resource counts until the end', () => {
  const changes = [
    change('2024-02-29T12:00:00.000Z', 'active'),
    change('2024-03-01T06:00:00.000Z', 'stopped'),
    change('2024-03-31T20:00:00.000Z', 'active'),
  ];
  const march = parsePeriod('2024-03');
  assert.equal(hours(activeSeconds(changes, march.start, march.end).get('r1')), 10);
  const february = parsePeriod('2024-02');
  assert.equal(hours(activeSeconds(changes, february.start, february.end).get('r1')), 12);
  const april = parsePeriod('2024-04');
  assert.equal(hours(activeSeconds(changes, april.start, april.end).get('r1')), 30 * 24);
});

test('a report of the same state again does not restart the clock', () => {
  const changes = [
    change('2024-03-01T00:00:00.000Z', 'active'),
    change('2024-03-01T01:00:00.000Z', 'active'),
    change('2024-03-01T02:00:00.000Z', 'failed'),
  ];
  const march = parsePeriod('2024-03');
  assert.equal(hours(activeSeconds(changes, march.start, march.end).get('r1')), 2);
});

test('each priced unit of a resource is a line: units x hours x unit price, rounded per line', () => {
  const period = parsePeriod('2024-03');
  const lines = meterUsage({
    unitsOf,
    changes: [
      change('2024-03-10T00:00:00.000Z', 'active', 's1'),
      change('2024-03-10T03:00:00.000Z', 'stopped', 's1'),
      change('2024-03-10T00:00:00.000Z', 'active', 'c1'),
    ],
    resources: [
      { id: 's1', kind: 'server', name: 'web', spec: { cpus: 2, memoryMiB: 1536 } },
      { id: 'c1', kind: 'cluster', name: 'k8s', spec: { nodePoolSize: 3 } },
      { id: 'x1', kind: 'stack', name: 'never-active', spec: {} },
    ],
    prices: { server: { cpuHour: 5, memoryGiBHour: 3 }, cluster: { nodeHour: 50 } },
    period,
    until: new Date('2024-03-10T06:00:00.000Z'),
  });
  assert.deepEqual(lines, [
    {
      resource: { id: 'c1', kind: 'cluster', name: 'k8s' },
      unit: 'nodeHour',
      units: 3,
      hours: 6,
      unitPrice: 50,
      amount: 900,
    },
    {
      resource: { id: 's1', kind: 'server', name: 'web' },
      unit: 'cpuHour',
      units: 2,
      hours: 3,
      unitPrice: 5,
      amount: 30,
    },
    {
      resource: { id: 's1', kind: 'server', name: 'web' },
      unit: 'memoryGiBHour',
      units: 1.5,
      hours: 3,
      unitPrice: 3,
      amount: 14,
    },
  ]);
});

test('kinds and units without a price are not billed', () => {
  const lines = meterUsage({
    unitsOf,
    changes: [change('2024-03-10T00:00:00.000Z', 'active', 'j1')],
    resources: [
      { id: 'j1', kind: 'job', name: 'batch', spec: { nodes: 2, cpus: 4, memory: 8, instances: 3, parallelism: 1 } },
    ],
    prices: { job: { cpuHour: 8 } },
    period: parsePeriod('2024-03'),
    until: new Date('2024-03-10T01:00:00.000Z'),
  });
  assert.deepEqual(
    lines.map((l) => [l.unit, l.units, l.amount]),
    [['cpuHour', 8, 64]],
  );
});

test('a resize mid-month bills each size for the hours it ran: one line per unit and size', () => {
  const resized = (at: string, cpus: number): SpecChange => ({ at, resourceId: 's1', spec: { cpus, memoryMiB: 2048 } });
  const lines = meterUsage({
    unitsOf,
    changes: [change('2024-03-10T00:00:00.000Z', 'active', 's1'), change('2024-03-10T12:00:00.000Z', 'stopped', 's1')],
    specs: [
      resized('2024-03-01T00:00:00.000Z', 2),
      resized('2024-03-10T04:00:00.000Z', 8),
      resized('2024-03-10T10:00:00.000Z', 4),
    ],
    resources: [{ id: 's1', kind: 'server', name: 'web', spec: { cpus: 4, memoryMiB: 2048 } }],
    prices: { server: { cpuHour: 5, memoryGiBHour: 2 } },
    period: parsePeriod('2024-03'),
    until: new Date('2024-04-01T00:00:00.000Z'),
  });
  assert.deepEqual(
    lines.map((l) => [l.unit, l.units, l.hours, l.amount]),
    [
      ['cpuHour', 2, 4, 40],
      ['cpuHour', 8, 6, 240],
      ['cpuHour', 4, 2, 40],
      ['memoryGiBHour', 2, 12, 48],
    ],
  );
});

test('before its first recorded spec a resource has that size; with none recorded, its current one', () => {
  const input = {
    unitsOf,
    changes: [change('2024-03-10T00:00:00.000Z', 'active', 's1'), change('2024-03-10T06:00:00.000Z', 'stopped', 's1')],
    resources: [{ id: 's1', kind: 'server', name: 'web', spec: { cpus: 4 } }],
    prices: { server: { cpuHour: 5 } },
    period: parsePeriod('2024-03'),
    until: new Date('2024-04-01T00:00:00.000Z'),
  };
  const recordedLater = meterUsage({
    ...input,
    specs: [{ at: '2024-03-10T03:00:00.000Z', resourceId: 's1', spec: { cpus: 1 } }],
  });
  assert.deepEqual(
    recordedLater.map((l) => [l.units, l.hours]),
    [[1, 6]],
  );
  assert.deepEqual(
    meterUsage(input).map((l) => [l.units, l.hours]),
    [[4, 6]],
  );
});

test('months are UTC calendar months; a bad month name is refused', () => {
  assert.equal(monthOf(new Date('2024-12-31T23:59:59.999Z')).end.toISOString(), '2025-01-01T00:00:00.000Z');
  assert.deepEqual(
    monthsBetween(parsePeriod('2024-11'), parsePeriod('2025-02')).map((p) => p.name),
    ['2024-11', '2024-12', '2025-01'],
  );
  for (const bad of ['2024-13', '2024-00', '24-03', '2024-3']) assert.throws(() => parsePeriod(bad), /not a month/);
});
