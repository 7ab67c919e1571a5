// Peer: bare node:http + node:sqlite on a copy of cloudplane's database (same schema and indexes, same rows):
// a get by id, a list of 100 and a create (one transaction with the three rows a cloudplane create writes), each
// request running statements prepared once at start. No auth, no validation: the naive handler the issue names.
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

const config = settings<PeerDatabaseSettings & { path: string }>();
const db = new DatabaseSync(config.path);
// cloudplane's pragmas (src/store/sqlite-driver.ts).
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('PRAGMA foreign_keys = ON');
db.exec('PRAGMA busy_timeout = 5000');

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

function create(body: Record<string, unknown>) {
  const { resource, values } = newRows(config, body);
  db.exec('begin immediate');
  try {
    statements.resource.run(...(values.resource as SQLInputValue[]));
    statements.operation.run(...(values.operation as SQLInputValue[]));
    statements.event.run(...(values.event as SQLInputValue[]));
    db.exec('commit');
  } catch (error) {
    db.exec('rollback');
    throw error;
  }
  return toJson(resource);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://peer');
  if (request.method === 'POST') {
    void readJson(request).then((body) => {
      if (!body) return response.writeHead(400, json).end('{"error":"bad json"}');
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
