// namespaces: the named groups resources live in inside a team.
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { formatTable, type Column } from '../output.ts';
import { action } from '../session.ts';

interface Namespace {
  id: string;
  name: string;
  createdAt: string;
}

const columns: Column<Namespace>[] = [
  ['ID', (n) => n.id],
  ['NAME', (n) => n.name],
  ['CREATED', (n) => n.createdAt],
];
const namespacesPath = (team: string) => `/teams/${segment(team)}/namespaces`;

export function registerNamespaces(program: Command) {
  const namespaces = program.command('namespaces').description("manage a team's namespaces");
  namespaces
    .command('list <team>')
    .description('list the namespaces of a team')
    .action(
      action(async (session, team: string) => {
        const page = await session.api.get<{ items: Namespace[] }>(namespacesPath(team));
        session.print(page, () => formatTable(page.items, columns));
      }),
    );
  namespaces
    .command('create <team> <name>')
    .description('create a namespace (a DNS label)')
    .action(
      action(async (session, team: string, name: string) => {
        const namespace = await session.api.post<Namespace>(namespacesPath(team), { name });
        session.print(namespace, () => formatTable([namespace], columns));
      }),
    );
  namespaces
    .command('delete <team> <namespace>')
    .description('delete a namespace and the resources in it')
    .action(
      action(async (session, team: string, namespace: string) => {
        await session.api.delete(`${namespacesPath(team)}/${segment(namespace)}`);
        session.say(`deleted namespace ${namespace} of ${team}`);
      }),
    );
}
