// A team's members: their roles, adding one, changing a role, removing one (confirmed).
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { Field, TextField } from '../../ui/field.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

const roles = ['admin', 'member', 'viewer'] as const;
type Role = (typeof roles)[number];

export function Members(props: { team: string }) {
  const { api } = useApp();
  const team = props.team;
  const members = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}/members', { params: { path: { team } } })),
    [team],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [actionError, setActionError] = useState<unknown>();
  const confirm = useConfirm();

  async function act(run: () => Promise<{ error?: unknown; response: Response }>) {
    setActionError(undefined);
    try {
      unwrap(await run());
      members.reload();
    } catch (error) {
      setActionError(error);
    }
  }

  async function add(form: HTMLFormElement) {
    setErrors({});
    const data = new FormData(form);
    try {
      const body = { user: String(data.get('user')), role: String(data.get('role')) as Role };
      unwrap(await api.POST('/api/v1/teams/{team}/members', { params: { path: { team } }, body }));
      form.reset();
      members.reload();
    } catch (error) {
      setErrors(fieldErrors(error));
    }
  }

  return (
    <>
      <h2>Members</h2>
      <ErrorMessage error={members.error ?? actionError} />
      {members.data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((member) => {
                const path = { team, userId: member.userId };
                return (
                  <tr key={member.userId}>
                    <td>{member.username}</td>
                    <td>
                      <select
                        aria-label={`Role of ${member.username}`}
                        value={member.role}
                        onChange={(event) => {
                          const role = event.currentTarget.value as Role;
                          void act(() =>
                            api.PATCH('/api/v1/teams/{team}/members/{userId}', { params: { path }, body: { role } }),
                          );
                        }}
                      >
                        {roles.map((role) => (
                          <option key={role}>{role}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <button
                        type="button"
                        onClick={async () => {
                          const yes = await confirm.ask(
                            `Remove ${member.username}?`,
                            `${member.username} loses access to team ${team} and everything in it.`,
                            'Remove member',
                          );
                          if (yes)
                            await act(() => api.DELETE('/api/v1/teams/{team}/members/{userId}', { params: { path } }));
                        }}
                      >
                        Remove {member.username}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form
        aria-label="Add a member"
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void add(event.currentTarget);
        }}
      >
        <TextField id="member-user" name="user" label="Username or user id" error={errors.user} required />
        <Field
          id="member-role"
          name="role"
          label="Role"
          error={errors.role}
          control={(c) => (
            <select {...c}>
              {roles.map((role) => (
                <option key={role}>{role}</option>
              ))}
            </select>
          )}
        />
        <button type="submit">Add member</button>
        {errors[''] && (
          <p class="error" role="alert">
            {errors['']}
          </p>
        )}
      </form>
      {confirm.element}
    </>
  );
}
