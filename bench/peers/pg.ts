// Peer: bare node:http + pg: a create is one transaction with the three rows a cloudplane create writes, on a pool
// as large as cloudplane's (database.poolSize), in the database cloudplane just used (same schema and team).
import { createServer } from 'node:http';
import pg from 'pg';
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

const config = settings<PeerDatabaseSettings & { url: string; poolSize: number }>();
const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize });
pool.on('error', () => {});

const insert = (table: string, columns: readonly string[]) =>
  `insert into ${table} (${columns.join(', ')}) values (${placeholders(columns.length, (i) => `$${i + 1}`)})`;
const sql = {
  resource: insert('resources', resourceColumns),
  operation: insert('operations', operationColumns),
  event: insert('events', eventColumns),
};

async function create(body: Record<string, unknown>) {
  const { resource, values } = newRows(config, body);
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(sql.resource, values.resource);
    await client.query(sql.operation, values.operation);
    await client.query(sql.event, values.event);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
  return toJson(resource);
}

const json = { 'content-type': 'application/json; charset=utf-8' };

const server = createServer((request, response) => {
  void readJson(request).then(async (body) => {
    if (request.method !== 'POST' || !body) return response.writeHead(400, json).end('{"error":"POST JSON"}');
    try {
      response.writeHead(201, json).end(JSON.stringify(await create(body)));
    } catch (error) {
      response.writeHead(500, json).end(JSON.stringify({ error: (error as Error).message }));
    }
  });
});

listenAndReport(server, () => void pool.end());
