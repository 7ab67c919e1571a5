// Platform admins: every user, creating one, disabling (their tokens stop working at once) and enabling again.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { useConfirm } from '../../ui/confirm.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { Field, TextField } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';

export function AdminUsersPage(_props: PageProps) {
  const { api, user: me } = useApp();
  const users = useLoad(async () => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = unwrap(await api.GET('/api/v1/users', { params: { query: { limit: 500, cursor } } }));
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    return all;
  }, []);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const confirm = useConfirm();

  async function setDisabled(userId: string, username: string, disabled: boolean) {
    const why = 'Their tokens are refused at once, until you enable them again.';
    if (disabled && !(await confirm.ask(`Disable ${username}?`, why, 'Disable'))) return;
    setError(undefined);
    try {
      unwrap(await api.PATCH('/api/v1/users/{userId}', { params: { path: { userId } }, body: { disabled } }));
      setDone(`${username} is ${disabled ? 'disabled' : 'enabled'}.`);
    } catch (failure) {
      setError(failure);
    }
    users.reload();
  }

  return (
    <section>
      <h1 tabIndex={-1}>Users</h1>
      <CreateUserForm
        onCreated={(username) => {
          setDone(`${username} created.`);
          users.reload();
        }}
      />
      <h2>All users</h2>
      <ErrorMessage error={users.error ?? error} />
      {done && <p role="status">{done}</p>}
      {users.data && (
        <div class="table-wrap" role="region" aria-label="All users (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">All users</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.username}</th>
                  <td>{user.email}</td>
                  <td>{user.admin ? 'platform admin' : 'user'}</td>
                  <td>
                    <span class={`state ${user.disabled ? 'state-failed' : 'state-active'}`}>
                      {user.disabled ? 'disabled' : 'active'}
                    </span>
                  </td>
                  <td>{dateTime(user.createdAt)}</td>
                  <td>
                    {user.username === me.username ? (
                      <span class="muted">you</span>
                    ) : user.disabled ? (
                      <button
                        type="button"
                        aria-label={`Enable ${user.username}`}
                        onClick={() => void setDisabled(user.id, user.username, false)}
                      >
                        Enable
                      </button>
                    ) : (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Disable ${user.username}`}
                        onClick={() => void setDisabled(user.id, user.username, true)}
                      >
                        Disable
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirm.element}
    </section>
  );
}

function CreateUserForm(props: { onCreated: (username: string) => void }) {
  const { api } = useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function create(form: HTMLFormElement) {
    const data = new FormData(form);
    const body = {
      username: String(data.get('username')),
      email: String(data.get('email')),
      password: String(data.get('password')),
      admin: data.get('admin') === 'on',
    };
    setBusy(true);
    setErrors({});
    try {
      const created = unwrap(await api.POST('/api/v1/users', { body }));
      form.reset();
      props.onCreated(created.username);
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form
      class="account-form"
      aria-labelledby="create-user-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void create(event.currentTarget);
      }}
    >
      <h2 id="create-user-heading">Create a user</h2>
      <TextField
        id="user-username"
        name="username"
        label="Username"
        required
        autocomplete="off"
        error={errors.username}
      />
      <Field
        id="user-email"
        name="email"
        label="Email"
        error={errors.email}
        control={(control) => <input {...control} type="email" required autocomplete="off" />}
      />
      <TextField
        id="user-password"
        name="password"
        label="Password"
        type="password"
        required
        autocomplete="new-password"
        hint="At least 8 characters; tell it to the user, who can change it."
        error={errors.password}
      />
      <div class="field">
        <label>
          <input type="checkbox" name="admin" />
          Platform admin
        </label>
      </div>
      <ErrorMessage error={errors[''] ? new Error(errors['']) : undefined} />
      <button type="submit" disabled={busy}>
        Create user
      </button>
    </form>
  );
}
