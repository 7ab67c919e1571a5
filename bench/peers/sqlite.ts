// Peer: bare node:http + node:sqlite on a copy of cloudplane's database (same schema and indexes, same rows):
// a get by id, a list of 100 and a create (one transaction with the three rows a cloudplane create writes), each
// request running statements prepared once at start. No auth, no validation: the naive handler the issue names.
// With `grouped`, creates commit as cloudplane's do (src/store/group-commit.ts): those that arrive in one turn of
// the event loop share a transaction, each in a savepoint of its own, and each is answered after the commit. That
// is the floor for a create that keeps cloudplane's guarantees, with nothing else of cloudplane around it.
import { createServer } from 'node:http';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { listenAndReport, readJson, settings } from './listen.ts';
import {
  eventColumns,
  newRows,
  operationColumns,
  placeholders,
  resourceColumns,
  toJson,
  type PeerDatabaseSettings,
} from './rows.ts';

const config = settings<PeerDatabaseSettings & { path: string; grouped?: boolean }>();
const db = new DatabaseSync(config.path);
// cloudplane's pragmas (src/store/sqlite-driver.ts).
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA foreign_keys = ON');
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA temp_store = MEMORY');

const insert = (table: string, columns: readonly string[]) =>
  db.prepare(`insert into ${table} (${columns.join(', ')}) values (${placeholders(columns.length, () => '?')})`);
const statements = {
  get: db.prepare('select * from resources where team_id = ? and id = ?'),
  list: db.prepare("select * from resources where team_id = ? and state <> 'deleted' order by id limit ?"),
  resource: insert('resources', resourceColumns),
  operation: insert('operations', operationColumns),
  event: insert('events', eventColumns),
};

const json = { 'content-type': 'application/json; charset=utf-8' };

function insertRows(values: ReturnType<typeof newRows>['values']) {
  statements.resource.run(...(values.resource as SQLInputValue[]));
  statements.operation.run(...(values.operation as SQLInputValue[]));
  statements.event.run(...(values.event as SQLInputValue[]));
}

function create(body: Record<string, unknown>) {
  const { resource, values } = newRows(config, body);
  db.exec('begin immediate');
  try {
    insertRows(values);
    db.exec('commit');
  } catch (error) {
    db.exec('rollback');
    throw error;
  }
  return toJson(resource);
}

type Answer = (status: number, body: string) => void;
let waiting: { body: Record<string, unknown>; answer: Answer }[] = [];

/** One transaction for every create queued in this turn; one that fails rolls back its savepoint alone. */
function commitWaiting() {
  const batch = waiting;
  waiting = [];
  const answers: [Answer, number, string][] = [];
  db.exec('begin immediate');
  try {
    for (const { body, answer } of batch) {
      const { resource, values } = newRows(config, body);
      db.exec('savepoint change');
      try {
        insertRows(values);
        db.exec('release change');
        answers.push([answer, 201, JSON.stringify(toJson(resource))]);
      } catch (error) {
        db.exec('rollback to change');
        db.exec('release change');
        answers.push([answer, 409, JSON.stringify({ error: (error as Error).message })]);
      }
    }
    db.exec('commit');
  } catch (error) {
    db.exec('rollback');
    for (const { answer } of batch) answer(500, JSON.stringify({ error: (error as Error).message }));
    return;
  }
  for (const [answer, status, body] of answers) answer(status, body);
}

function createGrouped(body: Record<string, unknown>, answer: Answer) {
  waiting.push({ body, answer });
  if (waiting.length === 1) setImmediate(commitWaiting);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://peer');
  if (request.method === 'POST') {
    void readJson(request).then((body) => {
      if (!body) return response.writeHead(400, json).end('{"error":"bad json"}');
      if (config.grouped) return createGrouped(body, (status, text) => response.writeHead(status, json).end(text));
      try {
        response.writeHead(201, json).end(JSON.stringify(create(body)));
      } catch (error) {
        response.writeHead(500, json).end(JSON.stringify({ error: (error as Error).message }));
      }
    });
    return;
  }
  const limit = url.searchParams.get('limit');
  if (limit !== null) {
    // One row past the page tells whether there is a next one, as cloudplane reads it.
    const rows = statements.list.all(config.teamId, Number(limit) + 1);
    const items = rows.slice(0, Number(limit)).map(toJson);
    const next = rows.length > items.length ? items[items.length - 1].metadata.id : null;
    response.writeHead(200, json).end(JSON.stringify({ items, next }));
    return;
  }
  const row = statements.get.get(config.teamId, url.pathname.split('/').pop() ?? '');
  if (!row) return response.writeHead(404, json).end('{"error":"not found"}');
  response.writeHead(200, json).end(JSON.stringify(toJson(row)));
});

listenAndReport(server, () => db.close());
