// apply: makes a team's resources what a file declares, creating what is missing and updating what
// differs by kind and name, as often as it is run (kubectl apply's contract).
import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import { readManifest, type Declared } from '../manifest.ts';
import { findByName, resourcePath, resourcesPath, type Resource } from '../resource.ts';
import { action, type Session } from '../session.ts';
import { requestAndWait, waits, withWaitFlags, type WaitFlags } from '../wait.ts';

interface ApplyOptions extends WaitFlags {
  file: string;
  team?: string;
}

type Outcome = 'created' | 'updated' | 'unchanged';

const sameContent = (a: Resource, b: Resource) =>
  JSON.stringify([a.spec, a.metadata.labels]) === JSON.stringify([b.spec, b.metadata.labels]);

/** A replace, last writer wins as with kubectl apply: the engine moves the version on all the time. */
async function applyOne(session: Session, team: string, item: Declared): Promise<[Outcome, Resource]> {
  const existing = await findByName(session.api, team, item.kind, item.name, item.namespace);
  if (existing === undefined) {
    const body = { kind: item.kind, name: item.name, namespace: item.namespace, parent: item.parent };
    return [
      'created',
      await session.api.post<Resource>(resourcesPath(team), { ...body, labels: item.labels, spec: item.spec }),
    ];
  }
  const updated = await session.api.put<Resource>(resourcePath(team, existing.metadata.id), {
    spec: item.spec,
    labels: item.labels,
  });
  return [sameContent(existing, updated) ? 'unchanged' : 'updated', updated];
}

/** In file order, so parents come before children; the first failure stops the run. */
async function apply(session: Session, options: ApplyOptions) {
  const items = readManifest(options.file);
  if (items.length === 0) throw new UsageError(`${options.file} declares no resources`);
  const results: Resource[] = [];
  for (const [index, item] of items.entries()) {
    const team = item.team ?? options.team;
    if (team === undefined) throw new UsageError(`${item.kind} ${item.name} names no team: pass --team`);
    let outcome: Outcome | undefined;
    const request = async () => {
      const [done, resource] = await applyOne(session, team, item);
      outcome = done;
      return resource;
    };
    const resource = waits(options)
      ? await requestAndWait(session, team, request, { goal: 'settle', timeoutMs: options.timeout })
      : await request();
    results.push(resource);
    const position = items.length > 1 ? `[${index + 1}/${items.length}] ` : '';
    session.say(`${position}${item.kind}/${item.name} ${outcome} (${resource.status.state})`);
  }
  if (session.json) session.print({ items: results }, () => '');
}

export function registerApply(program: Command) {
  withWaitFlags(
    program
      .command('apply')
      .description('create or update the resources a YAML or JSON file declares (by kind and name); safe to repeat')
      .requiredOption('-f, --file <path>', 'the file; - reads standard input')
      .option('--team <team>', 'the team of resources that name none'),
  ).action(action(apply));
}
