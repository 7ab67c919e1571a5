// The durable work on a resource: each operation with its attempts and last error.
import type { paths } from '../../api/schema';
import { dateTime } from '../../ui/format.ts';

type Operation =
  paths['/api/v1/teams/{team}/resources/{id}/operations']['get']['responses'][200]['content']['application/json']['items'][number];

export function Operations(props: { operations: Operation[] }) {
  if (props.operations.length === 0) return <p>No operation yet.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Operations</caption>
        <thead>
          <tr>
            <th scope="col">Operation</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {props.operations.map((operation) => (
            <tr key={operation.id}>
              <td>
                {operation.type}
                {operation.action ? ` ${operation.action}` : ''} (generation {operation.generation})
              </td>
              <td>{operation.state}</td>
              <td>{operation.attempts}</td>
              <td class={operation.lastError ? 'error' : undefined}>{operation.lastError ?? '—'}</td>
              <td>{dateTime(operation.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
