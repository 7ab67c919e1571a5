// Platform admins: every team on the platform, with links to its billing.
import { unwrap } from '../../api/client.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { Link } from '../../ui/link.tsx';
import { dateTime } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';
import '../account/account.css';

export function AdminTeamsPage(_props: PageProps) {
  const { api } = useApp();
  const teams = useLoad(async () => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = unwrap(await api.GET('/api/v1/teams', { params: { query: { limit: 500, cursor } } }));
      all.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    return all;
  }, []);
  return (
    <section>
      <h1 tabIndex={-1}>All teams</h1>
      <p>Every team on the platform, whether you are in it or not.</p>
      <ErrorMessage error={teams.error} />
      {teams.data && teams.data.length === 0 && <p>No teams yet.</p>}
      {teams.data && teams.data.length > 0 && (
        <div class="table-wrap" role="region" aria-label="All teams (scrolls sideways)" tabIndex={0}>
          <table>
            <caption class="visually-hidden">All teams</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span class="visually-hidden">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.data.map((team) => (
                <tr key={team.id}>
                  <th scope="row">{team.name}</th>
                  <td>{team.description}</td>
                  <td>{dateTime(team.createdAt)}</td>
                  <td>
                    {team.deletionRequestedAt ? `being deleted since ${dateTime(team.deletionRequestedAt)}` : 'active'}
                  </td>
                  <td>
                    <Link to={`/billing?account=${encodeURIComponent(`team:${team.name}`)}`}>
                      Billing<span class="visually-hidden"> of {team.name}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
