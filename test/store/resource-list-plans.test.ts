import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/store/database.ts';
import { resourceListQuery, resourcePageQuery, type ResourceFilter } from '../../src/store/resources.ts';
import type { Store } from '../../src/store/store.ts';

// Not a timing: SQLite's own query plan says whether a page reads an index range or the whole table.
describe('resource list pages [sqlite]', () => {
  let dir = '';
  let store: Store;
  let plans: DatabaseSync;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudplane-plans-'));
    store = await openStore({ url: '', sqlitePath: join(dir, 'db.sqlite'), poolSize: 1 });
    plans = new DatabaseSync(join(dir, 'db.sqlite'));
  });
  after(async () => {
    plans.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const planOf = (filter: ResourceFilter, pageOnly = false) => {
    const query = (pageOnly ? resourcePageQuery : resourceListQuery)(store.db, filter).compile();
    return plans
      .prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as SQLInputValue[]))
      .map((row) => String(row.detail))
      .join(' | ');
  };

  const pages = [
    ['a first page', 'resources_team_page', { teamId: 't', limit: 101 }],
    ['a state filter that matches nothing', 'resources_team_state_page', { teamId: 't', state: 'failed', limit: 101 }],
    ['a deep page', 'resources_team_page', { teamId: 't', afterId: 'ffff', limit: 101 }],
    [
      'a deep page of one state',
      'resources_team_state_page',
      { teamId: 't', state: 'active', afterId: 'ffff', limit: 101 },
    ],
    [
      'a deep page of one kind',
      'resources_team_kind_page',
      { teamId: 't', kind: 'cluster', afterId: 'ffff', limit: 101 },
    ],
  ] as const;
  for (const [what, index, filter] of pages) {
    test(`${what} searches an index in id order, neither scanning the table nor sorting`, () => {
      const plan = planOf(filter);
      assert.match(plan, new RegExp(`SEARCH resources USING (COVERING )?INDEX ${index} \\(team_id=\\?`));
      assert.doesNotMatch(plan, /SCAN resources|TEMP B-TREE/);
    });
    test(`${what}, as ids and versions, is read from the index alone`, () => {
      const plan = planOf(filter, true);
      assert.match(plan, new RegExp(`SEARCH resources USING COVERING INDEX ${index} \\(team_id=\\?`));
      assert.doesNotMatch(plan, /SCAN resources|TEMP B-TREE/);
    });
  }
});
