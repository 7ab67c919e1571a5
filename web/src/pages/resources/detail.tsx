// One resource: spec, status and conditions, actions, operations, the event timeline, what blocks its deletion,
// and for a job its logs and outputs; kept current by the change feed.
import { useRef } from 'preact/hooks';
import type { FeedEvent } from '../../api/change-feed.ts';
import { unwrap } from '../../api/client.ts';
import { loadKinds } from '../../api/kinds.ts';
import { useApp } from '../../shell/context.ts';
import type { PageProps } from '../../shell/page.ts';
import { dateTime } from '../../ui/format.ts';
import { Link } from '../../ui/link.tsx';
import { ErrorMessage } from '../../ui/problem.tsx';
import { StateBadge } from '../../ui/state.tsx';
import { feedLabel, useChanges } from '../../ui/use-changes.ts';
import { useLoad } from '../../ui/use-load.ts';
import { ResourceActions } from './actions.tsx';
import { DeletionBlockers } from './deletion.tsx';
import { JobLogs, JobOutputs } from './job-files.tsx';
import { Operations } from './operations.tsx';
import { loadTimeline, Timeline } from './timeline.tsx';

export function ResourcePage({ params }: PageProps) {
  const { api } = useApp();
  const { team, id } = params;
  const path = { team, id };
  const kinds = useLoad(() => loadKinds(api), []);
  const timeline = useRef<{ id: string; events: FeedEvent[] }>({ id, events: [] });
  const detail = useLoad(async () => {
    const known = timeline.current.id === id ? timeline.current.events : [];
    const [resource, operations, events] = await Promise.all([
      api.GET('/api/v1/teams/{team}/resources/{id}', { params: { path } }).then(unwrap),
      api.GET('/api/v1/teams/{team}/resources/{id}/operations', { params: { path } }).then(unwrap),
      loadTimeline(api, team, id, known.at(-1)?.id ?? 0),
    ]);
    timeline.current = { id, events: [...known, ...events] };
    return { resource, operations: operations.items, events: timeline.current.events };
  }, [team, id]);
  const feed = useChanges(team, (event) => event.object.id === id, detail.reload, [id]);

  const data = detail.data;
  const resource = data?.resource;
  const kind = kinds.data?.find((k) => k.name === resource?.metadata.kind);
  return (
    <section>
      <p>
        <Link to={`/teams/${encodeURIComponent(team)}/resources`}>All resources of {team}</Link>
      </p>
      <h1 tabIndex={-1}>
        {resource ? `${resource.metadata.kind} ${resource.metadata.name}` : 'Resource'}{' '}
        {resource && <StateBadge state={resource.status.state} />}
      </h1>
      <p class="live" role="status">
        {feedLabel[feed]}
      </p>
      <ErrorMessage error={detail.error} />
      {resource && data && (
        <>
          {resource.status.message && <p>{resource.status.message}</p>}
          <ResourceActions team={team} resource={resource} kind={kind} changed={detail.reload} />
          <DeletionBlockers team={team} resource={resource} />
          <dl class="facts">
            <dt>Id</dt>
            <dd>{resource.metadata.id}</dd>
            <dt>Created</dt>
            <dd>{dateTime(resource.metadata.createdAt)}</dd>
            <dt>Updated</dt>
            <dd>{dateTime(resource.metadata.updatedAt)}</dd>
            <dt>Generation</dt>
            <dd>
              {resource.metadata.generation} (observed {resource.status.observedGeneration})
            </dd>
            <dt>Labels</dt>
            <dd>
              {Object.entries(resource.metadata.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ') || 'none'}
            </dd>
          </dl>
          <h2>Conditions</h2>
          {resource.status.conditions.length === 0 ? (
            <p>No condition reported.</p>
          ) : (
            <ul>
              {resource.status.conditions.map((condition) => (
                <li key={condition.type}>
                  <strong>{condition.type}</strong>: {condition.status} ({condition.reason}) {condition.message}, since{' '}
                  {dateTime(condition.lastTransitionTime)}
                </li>
              ))}
            </ul>
          )}
          {resource.metadata.kind === 'job' && <JobLogs team={team} resource={resource} />}
          {resource.metadata.kind === 'job' && <JobOutputs team={team} resource={resource} />}
          <h2>Spec</h2>
          <pre tabIndex={0} aria-label="Spec">
            {JSON.stringify(resource.spec, null, 2)}
          </pre>
          <h2>Status details</h2>
          <pre tabIndex={0} aria-label="Status details">
            {JSON.stringify(resource.status.details, null, 2)}
          </pre>
          <h2>Operations</h2>
          <Operations operations={data.operations} />
          <h2>Events</h2>
          <Timeline events={data.events} />
        </>
      )}
    </section>
  );
}
