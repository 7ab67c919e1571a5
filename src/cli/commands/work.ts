// act, operations, logs: what the engine does with a resource, and what a job printed.
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { formatTable } from '../output.ts';
import { resourcePath, type Resource } from '../resource.ts';
import { action, type Session } from '../session.ts';
import { requestAndWait, waits, withWaitFlags, type WaitFlags } from '../wait.ts';

interface Operation {
  id: string;
  type: string;
  action: string | null;
  state: string;
  attempts: number;
  runAfter: string;
  lastError: string | null;
}

/** destroy is a deletion: waiting for it waits until the resource is gone. */
async function act(session: Session, team: string, id: string, verb: string, flags: WaitFlags) {
  const request = () => session.api.post<Resource>(`${resourcePath(team, id)}/actions/${segment(verb)}`, undefined);
  if (!waits(flags)) {
    const resource = await request();
    session.print(resource, () => `${verb} accepted for ${resource.metadata.name} (now ${resource.status.state})\n`);
    return;
  }
  const goal = verb === 'destroy' ? 'delete' : 'settle';
  const resource = await requestAndWait(session, team, request, { goal, timeoutMs: flags.timeout });
  session.print(resource, () => `${verb} done for ${resource.metadata.name} (now ${resource.status.state})\n`);
}

async function operations(session: Session, team: string, id: string) {
  const page = await session.api.get<{ items: Operation[] }>(`${resourcePath(team, id)}/operations`);
  session.print(page, () =>
    formatTable(page.items, [
      ['ID', (o) => o.id],
      ['TYPE', (o) => (o.action ? `${o.type} ${o.action}` : o.type)],
      ['STATE', (o) => o.state],
      ['ATTEMPTS', (o) => o.attempts],
      ['RUN AFTER', (o) => o.runAfter],
      ['LAST ERROR', (o) => o.lastError ?? ''],
    ]),
  );
}

async function logs(
  session: Session,
  team: string,
  id: string,
  options: { task: string; stderr?: boolean; follow?: boolean },
) {
  const stream = options.stderr ? 'stderr' : 'stdout';
  const body = await session.api.openText(`${resourcePath(team, id)}/logs/${segment(options.task)}/${stream}`, {
    follow: options.follow ? true : undefined,
  });
  for await (const chunk of body) process.stdout.write(chunk);
}

/** Registered at the top level and again under `resources`, where a reader also looks for them. */
export function registerWork(program: Command): void {
  withWaitFlags(
    program
      .command('act')
      .description('ask for an action on a resource: start, stop, suspend, resume, restart or destroy')
      .argument('<team>')
      .argument('<id>')
      .argument('<action>'),
  ).action(action(act));
  program
    .command('operations')
    .description("list a resource's operations: attempts, errors, next run")
    .argument('<team>')
    .argument('<id>')
    .action(action(operations));
  program
    .command('logs')
    .description("print a job's log; --follow streams it until the job ends")
    .argument('<team>')
    .argument('<id>')
    .option('--task <task>', 'instance (and rank) of the job: i0, i1, i0-r1', 'i0')
    .option('--stderr', 'standard error instead of standard output')
    .option('-f, --follow', 'keep printing until the job ends')
    .action(action(logs));
}
