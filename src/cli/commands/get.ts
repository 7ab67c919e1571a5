// get: one resource (by id or kind/name) or a team's resources (of a kind), as a table, YAML or JSON;
// the YAML of a list is one document per resource, which `apply -f` reads back.
import { Option, type Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { ApiError } from '../errors.ts';
import { fetchAll } from '../pages.ts';
import { findByName, resourcePath, resourcesPath, type Resource } from '../resource.ts';
import { action, type Session } from '../session.ts';
import { resourceTable } from './resources.ts';

type Format = 'table' | 'yaml' | 'json';

/** `kind/name` by name, an id as it is, a bare kind lists that kind. */
async function select(
  session: Session,
  team: string,
  ref: string | undefined,
  namespace: string | undefined,
): Promise<Resource | Resource[]> {
  if (ref === undefined) return (await fetchAll<Resource>(session.api, resourcesPath(team))).items;
  const slash = ref.indexOf('/');
  if (slash !== -1) {
    const [kind, name] = [ref.slice(0, slash), ref.slice(slash + 1)];
    const found = await findByName(session.api, team, kind, name, namespace);
    const where = namespace === undefined ? `team ${team}` : `namespace ${namespace} of team ${team}`;
    if (found === undefined) throw new ApiError(404, `no ${kind} named ${name} in ${where}`);
    return found;
  }
  if (/^[0-9a-f-]{36}$/i.test(ref)) return session.api.get<Resource>(resourcePath(team, ref));
  return (await fetchAll<Resource>(session.api, resourcesPath(team), { kind: ref })).items;
}

function render(selected: Resource | Resource[], format: Format): string {
  const many = Array.isArray(selected);
  if (format === 'json') return `${JSON.stringify(many ? { items: selected } : selected, null, 2)}\n`;
  if (format === 'yaml') return many ? selected.map((r) => toYaml(r)).join('---\n') : toYaml(selected);
  return resourceTable(many ? selected : [selected]);
}

export function registerGet(program: Command) {
  program
    .command('get <team> [ref]')
    .description('show resources: ref is an id, kind/name or a kind; without it, all of the team')
    .addOption(
      new Option('-o, --output <format>', 'table, yaml or json').choices(['table', 'yaml', 'json']).default('table'),
    )
    .option('-n, --namespace <namespace>', 'the namespace of a kind/name (without it: one outside any namespace)')
    .action(
      action(
        async (session, team: string, ref: string | undefined, options: { output: Format; namespace?: string }) => {
          const selected = await select(session, team, ref, options.namespace);
          process.stdout.write(render(selected, session.json ? 'json' : options.output));
        },
      ),
    );
}
