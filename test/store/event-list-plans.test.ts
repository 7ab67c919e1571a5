import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/database.ts';
import { visibleEventsQuery, type VisibleEventsFilter } from '../../src/store/events.ts';
import type { Store } from '../../src/store/store.ts';

// Not a timing: SQLite's own query plan says whether one object's events are read through an index or the whole log.
describe('event list pages [sqlite]', () => {
  let dir = '';
  let store: Store;
  let plans: DatabaseSync;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudplane-event-plans-'));
    store = await openStore({ url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 });
    plans = new DatabaseSync(join(dir, 'db.sqlite'));
  });
  after(async () => {
    plans.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const planOf = (filter: VisibleEventsFilter) => {
    const query = visibleEventsQuery(store.db, filter).compile();
    return plans
      .prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as SQLInputValue[]))
      .map((row) => String(row.detail))
      .join(' | ');
  };

  const cases: [string, VisibleEventsFilter][] = [
    ['a member', { teamIds: ['t1', 't2'], userId: 'u', objectId: 'r', afterId: 0, limit: 5000 }],
    ['a member, within one team', { teamIds: ['t1'], teamId: 't1', userId: 'u', objectId: 'r', afterId: 9, limit: 1 }],
    ['a platform admin', { userId: 'u', objectId: 'r', afterId: 0, limit: 5000 }],
  ];
  for (const [who, filter] of cases) {
    test(`one object's events, as ${who} reads them, search index events_object in id order`, () => {
      const plan = planOf(filter);
      assert.match(plan, /SEARCH events USING INDEX events_object \(object_id=\?/);
      assert.doesNotMatch(plan, /SCAN events|TEMP B-TREE/);
    });
  }
});
