// resources: list, show, create, delete and watch the resources of a team, of any kind.
import { Option, type Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { segment } from '../client.ts';
import { formatTable } from '../output.ts';
import { fetchAll, type Page } from '../pages.ts';
import { collect, labelsOf, positiveInteger, specOf } from '../parse.ts';
import { action, type Session } from '../session.ts';
import { followFeed } from './watch.ts';

interface Resource {
  metadata: {
    id: string;
    kind: string;
    name: string;
    namespace: string | null;
    parent: string | null;
    labels: Record<string, string>;
    createdAt: string;
  };
  spec: Record<string, unknown>;
  status: { state: string; message: string };
}

interface ListOptions {
  kind?: string;
  namespace?: string;
  state?: string;
  selector?: string;
  limit?: number;
  all?: boolean;
}

interface CreateOptions {
  kind: string;
  name: string;
  namespace?: string;
  parent?: string;
  label?: string[];
  spec?: string;
  specFile?: string;
}

const resourcesPath = (team: string) => `/teams/${segment(team)}/resources`;

const table = (resources: Resource[]) =>
  formatTable(resources, [
    ['ID', (r) => r.metadata.id],
    ['KIND', (r) => r.metadata.kind],
    ['NAME', (r) => r.metadata.name],
    ['STATE', (r) => r.status.state],
    ['LABELS', (r) => r.metadata.labels],
    ['CREATED', (r) => r.metadata.createdAt],
  ]);

async function list(session: Session, team: string, options: ListOptions) {
  const query = {
    kind: options.kind,
    namespace: options.namespace,
    state: options.state,
    labelSelector: options.selector,
    limit: options.limit,
  };
  const page = options.all
    ? await fetchAll<Resource>(session.api, resourcesPath(team), query)
    : await session.api.get<Page<Resource>>(resourcesPath(team), query);
  session.print(page, () => table(page.items));
  if (page.next !== null && !session.json) process.stderr.write('more resources match: pass --all to list them all\n');
}

async function create(session: Session, team: string, options: CreateOptions) {
  const resource = await session.api.post<Resource>(resourcesPath(team), {
    kind: options.kind,
    name: options.name,
    namespace: options.namespace,
    parent: options.parent,
    labels: options.label === undefined ? undefined : labelsOf(options.label),
    spec: specOf(options),
  });
  session.print(resource, () => table([resource]));
}

/** The change feed of the team, kept to its resources' events (to one resource's, with an id that must exist). */
async function watch(session: Session, team: string, id: string | undefined, options: { after?: number }) {
  const only =
    id === undefined
      ? undefined
      : (await session.api.get<Resource>(`${resourcesPath(team)}/${segment(id)}`)).metadata.id;
  await followFeed(
    session,
    { team, after: options.after },
    (event) => event.type.startsWith('resource.') && (only === undefined || event.object.id === only),
  );
}

export function registerResources(program: Command) {
  const resources = program.command('resources').description("manage a team's resources");
  resources
    .command('list <team>')
    .description('list resources, oldest first')
    .option('--kind <kind>', 'only this kind')
    .option('--namespace <namespace>', 'only this namespace (id or name)')
    .option('--state <state>', 'only resources in this state')
    .option('--selector <selector>', 'label selector, e.g. app=web,tier!=db')
    .option('--limit <count>', 'page size', positiveInteger)
    .option('--all', 'follow the pages to the end')
    .action(action(list));
  resources
    .command('get <team> <id>')
    .description('show a resource as YAML')
    .action(
      action(async (session, team: string, id: string) => {
        const resource = await session.api.get<Resource>(`${resourcesPath(team)}/${segment(id)}`);
        session.print(resource, () => toYaml(resource));
      }),
    );
  resources
    .command('create <team>')
    .description('create a resource; the engine moves it on from pending')
    .requiredOption('--kind <kind>', 'its kind (see `cloudplane kinds`)')
    .requiredOption('--name <name>', 'its name')
    .option('--namespace <namespace>', 'namespace (id or name)')
    .option('--parent <id>', 'parent resource id')
    .option('--label <key=value>', 'a label; repeat for more', collect)
    .addOption(new Option('--spec <json>', 'the spec as JSON').conflicts('specFile'))
    .option('--spec-file <path>', 'read the spec from a YAML or JSON file')
    .action(action(create));
  resources
    .command('watch <team> [id]')
    .description("print the team's resource events as they happen (of one resource, given its id): the backlog first")
    .option('--after <eventId>', 'start after this event id', positiveInteger)
    .action(action(watch));
  resources
    .command('delete <team> <id>')
    .description('delete a resource and its children')
    .action(
      action(async (session, team: string, id: string) => {
        const resource = await session.api.delete<Resource>(`${resourcesPath(team)}/${segment(id)}`);
        session.print(resource, () => `${resource.metadata.id} ${resource.status.state}\n`);
      }),
    );
}
