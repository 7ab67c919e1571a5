// Loaded with --import into a server process by the crash tests: the process kills itself (SIGKILL, as
// kill -9 does) just before it runs a chosen SQL statement, to prove that the writes of one change land
// together or not at all. CLOUDPLANE_TEST_DIE_BEFORE_SQL is a piece of that statement's text;
// CLOUDPLANE_TEST_DIE_WITH_PARAM, when set, a value among its parameters.
import { StatementSync } from 'node:sqlite';
import pg from 'pg';

const statementPiece = process.env.CLOUDPLANE_TEST_DIE_BEFORE_SQL;
const parameter = process.env.CLOUDPLANE_TEST_DIE_WITH_PARAM;

function dieIfChosen(sql: string, parameters: unknown[]): void {
  if (!statementPiece || !sql.includes(statementPiece)) return;
  if (parameter !== undefined && !parameters.includes(parameter)) return;
  process.kill(process.pid, 'SIGKILL');
}

for (const method of ['run', 'all', 'get', 'iterate'] as const) {
  const original = StatementSync.prototype[method] as (...args: unknown[]) => unknown;
  (StatementSync.prototype as unknown as Record<string, unknown>)[method] = function (
    this: StatementSync,
    ...args: unknown[]
  ) {
    dieIfChosen(this.sourceSQL, args);
    return original.apply(this, args);
  };
}

const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as Record<string, unknown>).query = function (this: pg.Client, ...args: unknown[]) {
  const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
  if (typeof config === 'string') dieIfChosen(config, values ?? []);
  else if (config && typeof config.text === 'string') dieIfChosen(config.text, values ?? config.values ?? []);
  return query.apply(this, args);
};
