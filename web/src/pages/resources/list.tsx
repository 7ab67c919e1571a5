// A team's resources (kind, name, state, labels, age), filtered, and kept current by the change feed.
import { unwrap } from '../../api/client.ts';
import { loadKinds, statesOf } from '../../api/kinds.ts';
import { fieldErrors } from '../../api/problems.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { age } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { StateBadge } from '../../ui/state.tsx';
import { feedLabel, useChanges } from '../../ui/use-changes.ts';
import { useLoad } from '../../ui/use-load.ts';
import { filtersOf, ResourceFilters } from './filters.tsx';

export function ResourcesPage({ params, query }: PageProps) {
  const { api } = useApp();
  const team = params.team;
  const filters = filtersOf(query);
  const key = JSON.stringify(filters);
  const kinds = useLoad(() => loadKinds(api), []);
  const namespaces = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}/namespaces', { params: { path: { team } } })).items,
    [team],
  );
  const resources = useLoad(
    async () =>
      unwrap(
        await api.GET('/api/v1/teams/{team}/resources', {
          params: { path: { team }, query: { ...filters, state: filters.state as never, limit: 500 } },
        }),
      ).items,
    [team, key],
  );
  const feed = useChanges(team, (event) => event.type.startsWith('resource.'), resources.reload, [team]);

  const namespaceName = new Map((namespaces.data ?? []).map((n) => [n.id, n.name]));
  const problems = resources.error ? fieldErrors(resources.error) : {};
  const path = `/teams/${encodeURIComponent(team)}/resources`;
  return (
    <section>
      <h1 tabIndex={-1}>Resources of {team}</h1>
      <p class="actions">
        <Link to={`${path}/new`} class="button-link">
          Create a resource
        </Link>
      </p>
      <ResourceFilters
        path={path}
        filters={filters}
        kinds={(kinds.data ?? []).map((kind) => kind.name)}
        states={statesOf(kinds.data ?? [])}
        namespaces={(namespaces.data ?? []).map((n) => n.name)}
        selectorError={problems.labelSelector}
      />
      <p class="live" role="status">
        {feedLabel[feed]}
      </p>
      {!problems.labelSelector && <ErrorMessage error={resources.error} />}
      {resources.data && resources.data.length === 0 && <p>No resource matches.</p>}
      {resources.data && resources.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Resources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Namespace</th>
                <th scope="col">Labels</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {resources.data.map(({ metadata, status }) => (
                <tr key={metadata.id} data-resource={metadata.name}>
                  <td>
                    <Link to={`${path}/${metadata.id}`}>{metadata.name}</Link>
                  </td>
                  <td>{metadata.kind}</td>
                  <td>
                    <StateBadge state={status.state} />
                  </td>
                  <td>{metadata.namespace ? (namespaceName.get(metadata.namespace) ?? '') : ''}</td>
                  <td>
                    {Object.entries(metadata.labels).map(([k, v]) => (
                      <span class="label" key={k}>
                        {k}={v}
                      </span>
                    ))}
                  </td>
                  <td>
                    <time dateTime={metadata.createdAt} title={metadata.createdAt}>
                      {age(metadata.createdAt)}
                    </time>
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
