// Stacks on the local driver: a stack runs nothing itself; its actions go to each of its servers through
// the server driver, and its state is read from theirs.
import { powerActions } from '../../resources/kinds/power.ts';
import type { Action, State } from '../../domain/states.ts';
import type { DriverHost, DriverResource, KindDriver, Observation } from '../driver.ts';
import type { ProcessSupervisor } from './processes/supervisor.ts';

export interface LocalStackOptions {
  /** The driver the engine uses for servers; a stack's actions go through it. */
  servers: KindDriver;
}

const count = (states: State[], ...wanted: State[]) => states.filter((state) => wanted.includes(state)).length;

/**
 * A stack's state from its servers': a failed server makes the stack failed (start or restart on the
 * stack then mends it); otherwise one still being set up makes it provisioning, one running makes it
 * active, one paused makes it suspended, and only when all are stopped is it stopped. No servers: active.
 */
export const stackObservation = (serverStates: State[]): Observation => {
  const states = serverStates.filter((state) => state !== 'deleting' && state !== 'deleted');
  const total = states.length;
  const details = { servers: total, ...Object.fromEntries(states.map((state) => [state, count(states, state)])) };
  const of = (n: number, what: string) => ({ message: `${n} of ${total} servers ${what}`, details });
  if (total === 0) return { state: 'active', message: 'no servers', details };
  if (count(states, 'failed') > 0) return { state: 'failed', ...of(count(states, 'failed'), 'failed') };
  if (count(states, 'pending', 'provisioning') > 0)
    return { state: 'provisioning', ...of(count(states, 'pending', 'provisioning'), 'being set up') };
  if (count(states, 'active') > 0) return { state: 'active', ...of(count(states, 'active'), 'active') };
  if (count(states, 'suspended') > 0) return { state: 'suspended', ...of(count(states, 'suspended'), 'suspended') };
  return { state: 'stopped', ...of(total, 'stopped') };
};

// The supervisor is unused: a stack has no process; it is taken so every local kind is built alike.
export function createLocalStackDriver(
  host: DriverHost,
  _supervisor: ProcessSupervisor,
  options: LocalStackOptions,
): KindDriver {
  const servers = async (stack: DriverResource) =>
    (await host.children(stack.id)).filter((child) => child.kind === 'server');
  const observe = async (stack: DriverResource) =>
    stackObservation((await servers(stack)).map((server) => server.state));

  /** Acts on one server if its state allows the action, reports what it became, and returns its state. */
  const actOnServer = async (server: DriverResource, action: Action): Promise<State> => {
    if (!powerActions[action]?.includes(server.state)) return server.state;
    const observation = await options.servers.act(server, action).catch((error: unknown) => ({
      state: 'failed' as const,
      message: `${action} failed: ${(error as Error).message}`,
    }));
    await host.report(server.id, observation);
    return observation.state;
  };

  return {
    apply: observe,
    act: async (stack, action) =>
      stackObservation(await Promise.all((await servers(stack)).map((server) => actOnServer(server, action)))),
    // Nothing of its own to tear down: the engine deletes its servers first.
    remove: async () => {},
    observe,
    observesChildren: true,
    // Its state follows its servers', observed whenever one changes: there is nothing to sweep.
    changesOnlyWhenTold: true,
  };
}
