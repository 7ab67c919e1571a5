// Where the logs go: JSON lines for machines, readable lines (pino-pretty) for a person at a terminal.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/schema.ts';

/** A readable stream for `pretty` (or `auto` on a terminal); undefined: pino's own JSON on stdout. */
export function logDestination(format: Config['log']['format']): DestinationStream | undefined {
  const terminal = process.stdout.isTTY === true;
  if (format === 'json' || (format === 'auto' && !terminal)) return undefined;
  return pretty({
    colorize: terminal,
    translateTime: 'SYS:HH:MM:ss.l',
    // A request line says its method, path, status and duration in its message: the objects are for machines.
    ignore: 'pid,hostname,req,res,responseTime',
    singleLine: true,
    sync: true,
  });
}
