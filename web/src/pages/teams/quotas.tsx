// A team's quotas beside what it uses now (CPUs, memory, resources per kind).
import { unwrap } from '../../api/client.ts';
import { useApp } from '../../shell/context.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

function Row(props: { label: string; used: number; limit: number | undefined }) {
  const { label, used, limit } = props;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{used}</td>
      <td>{limit ?? 'no limit'}</td>
      <td>
        {limit !== undefined && (
          <meter
            class="meter"
            min={0}
            max={Math.max(limit, 1)}
            value={used}
            aria-label={`${label}: ${used} of ${limit}`}
          />
        )}
      </td>
    </tr>
  );
}

export function QuotaUsage(props: { team: string }) {
  const { api } = useApp();
  const team = props.team;
  const quotas = useLoad(
    async () => unwrap(await api.GET('/api/v1/teams/{team}/quotas', { params: { path: { team } } })),
    [team],
  );
  const data = quotas.data;
  const kinds = data
    ? [...new Set([...Object.keys(data.usage.resources), ...Object.keys(data.quotas.maxResources ?? {})])]
    : [];
  return (
    <>
      <h2>Quotas and usage</h2>
      <ErrorMessage error={quotas.error} />
      {data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">In use</th>
                <th scope="col">Quota</th>
                <th scope="col">Share used</th>
              </tr>
            </thead>
            <tbody>
              <Row label="CPUs" used={data.usage.cpus} limit={data.quotas.maxCpus} />
              <Row label="Memory (MiB)" used={data.usage.memoryMiB} limit={data.quotas.maxMemoryMiB} />
              {kinds.map((kind) => (
                <Row
                  key={kind}
                  label={`${kind} resources`}
                  used={data.usage.resources[kind] ?? 0}
                  limit={data.quotas.maxResources?.[kind]}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
