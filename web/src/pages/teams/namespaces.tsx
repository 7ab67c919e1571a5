// A team's namespaces: creating one, deleting one (confirmed), and what holds a deletion up.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { TextField } from '../../ui/field.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

export function Namespaces(props: { team: string }) {
  const { api } = useApp();
  const team = props.team;
  const namespaces = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}/namespaces', { params: { path: { team } } })),
    [team],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [deleteError, setDeleteError] = useState<unknown>();
  const confirm = useConfirm();

  async function create(form: HTMLFormElement) {
    setErrors({});
    try {
      const name = String(new FormData(form).get('name'));
      unwrap(await api.POST('/api/v1/teams/{team}/namespaces', { params: { path: { team } }, body: { name } }));
      form.reset();
      namespaces.reload();
    } catch (error) {
      setErrors(fieldErrors(error));
    }
  }

  async function remove(namespace: string) {
    const yes = await confirm.ask(
      `Delete namespace ${namespace}?`,
      `Every resource in ${namespace} is deleted with it.`,
      'Delete namespace',
    );
    if (!yes) return;
    setDeleteError(undefined);
    try {
      unwrap(
        await api.DELETE('/api/v1/teams/{team}/namespaces/{namespace}', { params: { path: { team, namespace } } }),
      );
    } catch (error) {
      setDeleteError(error);
    }
    namespaces.reload();
  }

  return (
    <>
      <h2>Namespaces</h2>
      <ErrorMessage error={namespaces.error ?? deleteError} />
      {namespaces.data && namespaces.data.items.length === 0 && <p>No namespace yet.</p>}
      {namespaces.data && namespaces.data.items.length > 0 && (
        <ul>
          {namespaces.data.items.map((namespace) => (
            <li key={namespace.id}>
              {namespace.name}{' '}
              {namespace.deletionRequestedAt ? (
                <span>
                  (being deleted since {dateTime(namespace.deletionRequestedAt)}
                  {(namespace.deletionBlockedBy ?? []).map(
                    (b) => `; blocked by ${b.kind} ${b.name} since ${dateTime(b.since)}: ${b.message}`,
                  )}
                  )
                </span>
              ) : (
                <button type="button" onClick={() => void remove(namespace.name)}>
                  Delete {namespace.name}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        aria-label="Create a namespace"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void create(event.currentTarget);
        }}
      >
        <TextField id="namespace-name" name="name" label="New namespace" error={errors.name ?? errors['']} required />
        <button type="submit">Create namespace</button>
      </form>
      {confirm.element}
    </>
  );
}
