// Ids: UUIDv7 that sort in creation order, even many to a millisecond.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUuid, newId } from '../../src/lib/ids.ts';

test('ids are version-7 UUIDs with the RFC 9562 variant and the current time', () => {
  const before = Date.now();
  const id = newId();
  assert.ok(isUuid(id), id);
  assert.equal(id[14], '7');
  assert.match(id[19], /[89ab]/);
  const millis = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  assert.ok(millis >= before && millis <= Date.now() + 1, `${millis} is not now (${before})`);
});

test('ids made in a burst are unique and strictly increasing as strings', () => {
  const ids = Array.from({ length: 20_000 }, () => newId());
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1] < ids[i], `${ids[i - 1]} !< ${ids[i]}`);
});
