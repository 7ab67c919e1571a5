// The actions a resource's state allows now (GET /kinds has the table), and deletion; destructive ones confirmed.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import type { Kind, Resource } from '../../api/kinds.ts';
import { useApp } from '../../shell/context.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';

const destructive: Record<string, string> = {
  stop: 'stops it; what runs in it is interrupted',
  suspend: 'suspends it until it is resumed',
  restart: 'restarts it; what runs in it is interrupted',
  destroy: 'destroys what it runs; the record stays',
};

type ActionName = 'start' | 'stop' | 'suspend' | 'resume' | 'restart' | 'destroy';

export function ResourceActions(props: {
  team: string;
  resource: Resource;
  kind: Kind | undefined;
  changed: () => void;
}) {
  const { api } = useApp();
  const { team, resource, kind } = props;
  const { id, name } = resource.metadata;
  const state = resource.status.state;
  const [error, setError] = useState<unknown>();
  const confirm = useConfirm();
  const allowed = Object.entries(kind?.actions ?? {})
    .filter(([, inStates]) => inStates.includes(state))
    .map(([action]) => action);
  const deletable = !resource.metadata.deletionRequestedAt && state !== 'deleted';

  async function run(
    label: string,
    effect: string | undefined,
    request: () => Promise<{ error?: unknown; response: Response }>,
  ) {
    if (effect && !(await confirm.ask(`${label} ${name}?`, `This ${effect}.`, label))) return;
    setError(undefined);
    try {
      unwrap(await request());
      props.changed();
    } catch (failure) {
      setError(failure);
    }
  }

  const path = { team, id };
  return (
    <div>
      <div class="actions" role="group" aria-label="Actions">
        {allowed.map((action) => {
          const label = action[0].toUpperCase() + action.slice(1);
          return (
            <button
              key={action}
              type="button"
              class={destructive[action] ? 'danger' : undefined}
              onClick={() =>
                void run(label, destructive[action], () =>
                  api.POST('/api/v1/teams/{team}/resources/{id}/actions/{action}', {
                    params: { path: { ...path, action: action as ActionName } },
                    headers: { 'if-match': `"${resource.metadata.resourceVersion}"` },
                  }),
                )
              }
            >
              {label}
            </button>
          );
        })}
        {deletable && (
          <button
            type="button"
            class="danger"
            onClick={() =>
              void run('Delete', 'deletes it and everything it owns', () =>
                api.DELETE('/api/v1/teams/{team}/resources/{id}', { params: { path } }),
              )
            }
          >
            Delete
          </button>
        )}
        {allowed.length === 0 && !deletable && <p>No action is possible in state {state}.</p>}
      </div>
      <ErrorMessage error={error} />
      {confirm.element}
    </div>
  );
}
