// kinds and stats: what the server can run, and how much of it there is.
import type { Command } from 'commander';
import { formatFields, formatTable } from '../output.ts';
import { action } from '../session.ts';

interface Kind {
  name: string;
  description: string;
  actions: Record<string, string[]>;
  parent: { kinds: string[]; required: boolean } | null;
}

interface Stats {
  users: number;
  teams: number;
  resources: Record<string, { total: number; byState: Record<string, number> }>;
}

export function registerInfo(program: Command) {
  program
    .command('kinds')
    .description('list the resource kinds, their actions and parents')
    .action(
      action(async (session) => {
        const kinds = await session.api.get<Kind[]>('/kinds');
        session.print(kinds, () =>
          formatTable(kinds, [
            ['NAME', (k) => k.name],
            ['PARENT', (k) => k.parent?.kinds],
            ['ACTIONS', (k) => Object.keys(k.actions)],
            ['DESCRIPTION', (k) => k.description],
          ]),
        );
      }),
    );
  program
    .command('stats')
    .description('count users, teams and resources by kind and state')
    .action(
      action(async (session) => {
        const stats = await session.api.get<Stats>('/stats');
        const kinds = Object.entries(stats.resources).map(([kind, counts]) => ({ kind, ...counts }));
        session.print(
          stats,
          () =>
            formatFields([
              ['users', stats.users],
              ['teams', stats.teams],
            ]) +
            '\n' +
            formatTable(kinds, [
              ['KIND', (k) => k.kind],
              ['TOTAL', (k) => k.total],
              ['BY STATE', (k) => k.byState],
            ]),
        );
      }),
    );
}
