// The caller's teams (every team for a platform admin), and creating one.
import { useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/problems.ts';
import { navigate } from '../../router.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { TextField } from '../../ui/field.tsx';
import { dateTime } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

export function TeamsPage(_props: PageProps) {
  const { api, chooseTeam } = useApp();
  const teams = useLoad(async () => unwrap(await api.GET('/api/v1/teams', { params: { query: { limit: 500 } } })), []);
  const [errors, setErrors] = useState<Record<string, string>>({});

  async function create(form: HTMLFormElement) {
    setErrors({});
    const data = new FormData(form);
    const description = String(data.get('description') ?? '');
    try {
      const team = unwrap(
        await api.POST('/api/v1/teams', {
          body: { name: String(data.get('name')), ...(description ? { description } : {}) },
        }),
      );
      chooseTeam(team.name);
      navigate(`/teams/${encodeURIComponent(team.name)}`);
    } catch (error) {
      setErrors(fieldErrors(error));
    }
  }

  return (
    <section>
      <h1 tabIndex={-1}>Teams</h1>
      <ErrorMessage error={teams.error} />
      {teams.data && teams.data.items.length === 0 && <p>You belong to no team yet: create one below.</p>}
      {teams.data && teams.data.items.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Your teams</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {teams.data.items.map((team) => (
                <tr key={team.id}>
                  <td>
                    <Link to={`/teams/${encodeURIComponent(team.name)}`}>{team.name}</Link>
                    {team.deletionRequestedAt && ' (being deleted)'}
                  </td>
                  <td>{team.description}</td>
                  <td>{dateTime(team.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>Create a team</h2>
      <form
        aria-label="Create a team"
        onSubmit={(event) => {
          event.preventDefault();
          void create(event.currentTarget);
        }}
      >
        <TextField id="team-name" name="name" label="Name" error={errors.name} required autocomplete="off" />
        <TextField id="team-description" name="description" label="Description" error={errors.description} />
        {errors[''] && (
          <p class="error" role="alert">
            {errors['']}
          </p>
        )}
        <button type="submit">Create team</button>
      </form>
    </section>
  );
}
