// resources: list, show, create, update, delete and watch the resources of a team, of any kind.
import { Option, type Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { formatTable } from '../output.ts';
import { fetchAll, type Page } from '../pages.ts';
import { collect, labelsOf, positiveInteger, specOf } from '../parse.ts';
import { resourcePath, resourcesPath, type Resource } from '../resource.ts';
import { action, type Session } from '../session.ts';
import { requestAndWait, waits, withWaitFlags, type Goal, type WaitFlags } from '../wait.ts';
import { printFeed } from './watch.ts';
import { registerWork } from './work.ts';

interface ListOptions {
  kind?: string;
  namespace?: string;
  state?: string;
  selector?: string;
  limit?: number;
  all?: boolean;
}

interface SpecOptions {
  label?: string[];
  spec?: string;
  specFile?: string;
}

interface CreateOptions extends SpecOptions, WaitFlags {
  kind: string;
  name: string;
  namespace?: string;
  parent?: string;
}

export const resourceTable = (resources: Resource[]) =>
  formatTable(
    resources,
    [
      ['ID', (r) => r.metadata.id],
      ['KIND', (r) => r.metadata.kind],
      ['NAME', (r) => r.metadata.name],
      ['STATE', (r) => r.status.state],
      ['LABELS', (r) => r.metadata.labels],
      ['CREATED', (r) => r.metadata.createdAt],
      // Why a resource failed is the first thing its owner asks.
      ['MESSAGE', (r) => (r.status.state === 'failed' ? r.status.message : '')],
    ],
    'no resources',
  );

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
  session.print(page, () => resourceTable(page.items));
  if (page.next !== null && !session.json) process.stderr.write('more resources match: pass --all to list them all\n');
}

/** Makes the request, waiting for the resource to settle when asked, and prints what it became. */
async function requestResource(
  session: Session,
  team: string,
  flags: WaitFlags,
  goal: Goal,
  request: () => Promise<Resource>,
) {
  const resource = waits(flags)
    ? await requestAndWait(session, team, request, { goal, timeoutMs: flags.timeout })
    : await request();
  session.print(resource, () => resourceTable([resource]));
}

const create = (session: Session, team: string, options: CreateOptions) =>
  requestResource(session, team, options, 'settle', () =>
    session.api.post<Resource>(resourcesPath(team), {
      kind: options.kind,
      name: options.name,
      namespace: options.namespace,
      parent: options.parent,
      labels: options.label === undefined ? undefined : labelsOf(options.label),
      spec: specOf(options),
    }),
  );

/** A merge patch: keys given replace theirs, the rest stay. */
const update = (session: Session, team: string, id: string, options: SpecOptions & WaitFlags) =>
  requestResource(session, team, options, 'settle', () =>
    session.api.patch<Resource>(resourcePath(team, id), {
      labels: options.label === undefined ? undefined : labelsOf(options.label),
      spec: specOf(options),
    }),
  );

/** The change feed of the team, kept to its resources' events (to one resource's, with an id that must exist). */
async function watch(session: Session, team: string, id: string | undefined, options: { after?: number }) {
  const only = id === undefined ? undefined : (await session.api.get<Resource>(resourcePath(team, id))).metadata.id;
  await printFeed(session, { team, object: only, after: options.after }, (event) => event.type.startsWith('resource.'));
}

const withSpecOptions = (command: Command) =>
  command
    .option('--label <key=value>', 'a label; repeat for more', collect)
    .addOption(new Option('--spec <json>', 'the spec as JSON').conflicts('specFile'))
    .option('--spec-file <path>', 'read the spec from a YAML or JSON file');

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
        const resource = await session.api.get<Resource>(resourcePath(team, id));
        session.print(resource, () => toYaml(resource));
      }),
    );
  withWaitFlags(
    withSpecOptions(
      resources
        .command('create <team>')
        .description('create a resource; the engine moves it on from pending (--wait follows it)')
        .requiredOption('--kind <kind>', 'its kind (see `cloudplane kinds`)')
        .requiredOption('--name <name>', 'its name')
        .option('--namespace <namespace>', 'namespace (id or name)')
        .option('--parent <id>', 'parent resource id'),
    ),
  ).action(action(create));
  withWaitFlags(
    withSpecOptions(
      resources
        .command('update <team> <id>')
        .description('merge the given spec keys and labels into a resource (--wait follows the change)'),
    ),
  ).action(action(update));
  resources
    .command('watch <team> [id]')
    .description("print the team's resource events as they happen (of one resource, given its id): the backlog first")
    .option('--after <eventId>', 'start after this event id', positiveInteger)
    .action(action(watch));
  withWaitFlags(
    resources.command('delete <team> <id>').description('delete a resource and its children (--wait until gone)'),
  ).action(
    action((session, team: string, id: string, options: WaitFlags) =>
      requestResource(session, team, options, 'delete', () => session.api.delete<Resource>(resourcePath(team, id))),
    ),
  );
  registerWork(resources);
}
