// teams: list, create, show and delete the teams you belong to.
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { formatFields, formatTable } from '../output.ts';
import { fetchAll } from '../pages.ts';
import { action, type Session } from '../session.ts';

interface Team {
  id: string;
  name: string;
  description: string;
  createdAt: string;
}

const showTeam = (session: Session, team: Team) =>
  session.print(team, () =>
    formatFields([
      ['name', team.name],
      ['id', team.id],
      ['description', team.description],
      ['created', team.createdAt],
    ]),
  );

export function registerTeams(program: Command) {
  const teams = program.command('teams').description('manage teams');
  teams
    .command('list')
    .description('list your teams (every team for platform admins)')
    .action(
      action(async (session) => {
        const page = await fetchAll<Team>(session.api, '/teams');
        session.print(page, () =>
          formatTable(page.items, [
            ['ID', (t) => t.id],
            ['NAME', (t) => t.name],
            ['DESCRIPTION', (t) => t.description],
          ]),
        );
      }),
    );
  teams
    .command('create <name>')
    .description('create a team; you become its admin')
    .option('--description <text>', 'what the team is for')
    .action(
      action(async (session, name: string, options: { description?: string }) =>
        showTeam(session, await session.api.post<Team>('/teams', { name, description: options.description })),
      ),
    );
  teams
    .command('get <team>')
    .description('show a team, by id or name')
    .action(
      action(async (session, team: string) =>
        showTeam(session, await session.api.get<Team>(`/teams/${segment(team)}`)),
      ),
    );
  teams
    .command('delete <team>')
    .description('delete a team and everything in it')
    .action(
      action(async (session, team: string) => {
        await session.api.delete(`/teams/${segment(team)}`);
        session.say(`deleted team ${team}`);
      }),
    );
}
