// One team: its members with roles, its namespaces, its quotas with what it uses now, what blocks its deletion.
import { unwrap } from '../../api/client.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { dateTime } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Members } from './members.tsx';
import { Namespaces } from './namespaces.tsx';
import { QuotaUsage } from './quotas.tsx';

export function TeamPage({ params }: PageProps) {
  const { api } = useApp();
  const team = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}', { params: { path: { team: params.team } } })),
    [params.team],
  );
  const path = `/teams/${encodeURIComponent(params.team)}`;
  return (
    <section>
      <h1 tabIndex={-1}>Team {params.team}</h1>
      <ErrorMessage error={team.error} />
      {team.data && (
        <>
          {team.data.description && <p>{team.data.description}</p>}
          <p>
            Created {dateTime(team.data.createdAt)}. <Link to={`${path}/resources`}>Resources of this team</Link>
          </p>
          {team.data.deletionRequestedAt && (
            <div class="notice" role="status">
              <p>Deletion requested {dateTime(team.data.deletionRequestedAt)}.</p>
              {(team.data.deletionBlockedBy ?? []).map((blocker) => (
                <p key={blocker.id}>
                  Blocked by {blocker.kind} {blocker.name} ({blocker.state}) since {dateTime(blocker.since)}:{' '}
                  {blocker.message}
                </p>
              ))}
            </div>
          )}
        </>
      )}
      <Members team={params.team} />
      <Namespaces team={params.team} />
      <QuotaUsage team={params.team} />
    </section>
  );
}
