// While a resource's deletion is under way: since when, and what holds it up (children still standing, a failure).
import { unwrap } from '../../api/client.ts';
import type { Resource } from '../../api/kinds.ts';
import { useApp } from '../../shell/context.ts';
import { dateTime } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { useLoad } from '../../ui/use-load.ts';

export function DeletionBlockers(props: { team: string; resource: Resource }) {
  const { api } = useApp();
  const { team, resource } = props;
  const { id, deletionRequestedAt } = resource.metadata;
  const children = useLoad(
    async () =>
      deletionRequestedAt
        ? unwrap(
            await api.GET('/api/v1/teams/{team}/resources', {
              params: { path: { team }, query: { parent: id, limit: 500 } },
            }),
          ).items
        : [],
    [team, id, deletionRequestedAt, resource.metadata.resourceVersion],
  );
  if (!deletionRequestedAt) return null;
  const failed = resource.status.state === 'failed';
  return (
    <div class="notice" role="status">
      <p>
        Deletion requested {dateTime(deletionRequestedAt)}.
        {failed && ` It failed: ${resource.status.message}. Deleting it again retries.`}
      </p>
      {(children.data ?? []).length > 0 && (
        <>
          <p>Waiting for what it owns:</p>
          <ul>
            {children.data!.map((child) => (
              <li key={child.metadata.id}>
                <Link to={`/teams/${encodeURIComponent(team)}/resources/${child.metadata.id}`}>
                  {child.metadata.kind} {child.metadata.name}
                </Link>{' '}
                ({child.status.state}
                {child.status.message ? `: ${child.status.message}` : ''})
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
