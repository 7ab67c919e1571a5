// quotas: what a team may use and what it uses now; platform admins set the limits.
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { UsageError } from '../errors.ts';
import { formatTable } from '../output.ts';
import { collect, positiveInteger } from '../parse.ts';
import { action, type Session } from '../session.ts';

interface Quotas {
  maxCpus?: number;
  maxMemoryMiB?: number;
  maxResources?: Record<string, number>;
}

interface QuotasAndUsage {
  quotas: Quotas;
  usage: { cpus: number; memoryMiB: number; resources: Record<string, number> };
}

const quotasPath = (team: string) => `/teams/${segment(team)}/quotas`;

/** One row per limit the team has or thing it uses: a limit not set prints as "-". */
function show(session: Session, answer: QuotasAndUsage) {
  const { quotas, usage } = answer;
  const kinds = [...new Set([...Object.keys(quotas.maxResources ?? {}), ...Object.keys(usage.resources)])].sort();
  const rows: [string, number, number | undefined][] = [
    ['cpus', usage.cpus, quotas.maxCpus],
    ['memory MiB', usage.memoryMiB, quotas.maxMemoryMiB],
    ...kinds.map((kind): [string, number, number | undefined] => [
      `${kind} resources`,
      usage.resources[kind] ?? 0,
      quotas.maxResources?.[kind],
    ]),
  ];
  session.print(answer, () =>
    formatTable(rows, [
      ['WHAT', (r) => r[0]],
      ['USED', (r) => r[1]],
      ['LIMIT', (r) => r[2]],
    ]),
  );
}

const wholeOrZero = (value: string) => (value === '0' ? 0 : positiveInteger(value));

function limitsOf(pairs: string[] = []): Record<string, number> | undefined {
  if (pairs.length === 0) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const [kind, count] = pair.split('=');
      if (!kind || count === undefined || !/^\d+$/.test(count))
        throw new UsageError(`--max-resources "${pair}" is not kind=count`);
      return [kind, Number(count)];
    }),
  );
}

interface SetOptions {
  maxCpus?: number;
  maxMemoryMib?: number;
  maxResources?: string[];
}

export function registerQuotas(program: Command) {
  const quotas = program
    .command('quotas')
    .description("a team's quotas and usage (`quotas <team>`); `quotas set` for platform admins");
  quotas
    .command('show <team>', { isDefault: true })
    .description('show what a team uses against its limits')
    .action(action(async (session, team: string) => show(session, await session.api.get(quotasPath(team)))));
  quotas
    .command('set <team>')
    .description('replace the limits of a team (platform admins); limits not given are lifted')
    .option('--max-cpus <n>', 'cpus of all its resources together', wholeOrZero)
    .option('--max-memory-mib <n>', 'memory of all its resources together, MiB', wholeOrZero)
    .option('--max-resources <kind=count>', 'resources of a kind; repeat for more', collect)
    .action(
      action(async (session, team: string, options: SetOptions) => {
        const body: Quotas = {
          maxCpus: options.maxCpus,
          maxMemoryMiB: options.maxMemoryMib,
          maxResources: limitsOf(options.maxResources),
        };
        show(session, await session.api.put(quotasPath(team), body));
      }),
    );
}
