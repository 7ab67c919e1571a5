// A job's logs, followed while it runs (the server streams them until the job ends), and its declared outputs.
import { useEffect, useRef, useState } from 'preact/hooks';
import { unwrap } from '../../api/client.ts';
import type { Resource } from '../../api/kinds.ts';
import { useApp } from '../../shell/context.ts';
import { attachmentName, saveBlob } from '../../ui/download.ts';
import { bytes } from '../../ui/format.ts';
import { ErrorMessage } from '../../ui/problem.tsx';
import { useLoad } from '../../ui/use-load.ts';

const running = new Set(['pending', 'provisioning', 'active']);

function LogView(props: { team: string; id: string; task: string; stream: 'stdout' | 'stderr'; follow: boolean }) {
  const { api } = useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [following, setFollowing] = useState(props.follow);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const stop = new AbortController();
    void (async () => {
      try {
        const { response } = await api.GET('/api/v1/teams/{team}/resources/{id}/logs/{task}/{stream}', {
          params: { path: props, query: { follow: props.follow } },
          parseAs: 'stream',
          signal: stop.signal,
        });
        if (!response.ok || !response.body) throw new Error(`the log answered ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
          setText((previous) => previous + decoder.decode(chunk.value, { stream: true }));
      } catch (failure) {
        if (!stop.signal.aborted) setError(failure);
      }
      if (!stop.signal.aborted) setFollowing(false);
    })();
    return () => stop.abort();
  }, [props.team, props.id, props.task, props.stream]);
  useEffect(() => {
    if (following && pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [text]);
  const label = `${props.stream} of ${props.task}`;
  return (
    <div>
      <h4>
        {label} {following && <span class="live">(following)</span>}
      </h4>
      <ErrorMessage error={error} />
      <pre ref={pre} tabIndex={0} aria-label={label} aria-live={following ? 'polite' : undefined} data-log={label}>
        {text || '(empty)'}
      </pre>
    </div>
  );
}

export function JobLogs(props: { team: string; resource: Resource }) {
  const { api } = useApp();
  const { team } = props;
  const { id } = props.resource.metadata;
  const state = props.resource.status.state;
  const logs = useLoad(
    async () =>
      unwrap(await api.GET('/api/v1/teams/{team}/resources/{id}/logs', { params: { path: { team, id } } })).items,
    [team, id, state],
  );
  return (
    <>
      <h2>Logs</h2>
      <ErrorMessage error={logs.error} />
      {logs.data && logs.data.length === 0 && <p>No log yet{running.has(state) ? ': the job has not started' : ''}.</p>}
      {(logs.data ?? []).map((log) => (
        <section key={log.task} aria-label={`Logs of ${log.task}`}>
          <h3>
            Task {log.task} (stdout {bytes(log.stdoutBytes)}, stderr {bytes(log.stderrBytes)})
          </h3>
          <LogView team={team} id={id} task={log.task} stream="stdout" follow={running.has(state)} />
          {(log.stderrBytes > 0 || running.has(state)) && (
            <LogView team={team} id={id} task={log.task} stream="stderr" follow={running.has(state)} />
          )}
        </section>
      ))}
    </>
  );
}

export function JobOutputs(props: { team: string; resource: Resource }) {
  const { api } = useApp();
  const { team, resource } = props;
  const spec = resource.spec as { outputFiles?: string[]; outputDirs?: string[] };
  const outputs = [...(spec.outputFiles ?? []), ...(spec.outputDirs ?? [])];
  const [error, setError] = useState<unknown>();
  if (outputs.length === 0) return null;
  const finished = !running.has(resource.status.state);

  async function download(output: string) {
    setError(undefined);
    try {
      const result = await api.GET('/api/v1/teams/{team}/resources/{id}/outputs/{path}', {
        params: { path: { team, id: resource.metadata.id, path: output } },
        parseAs: 'blob',
      });
      saveBlob(unwrap(result), attachmentName(result.response, output.split('/').pop()!));
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <>
      <h2>Outputs</h2>
      {!finished && <p>Outputs can be downloaded once the job has finished.</p>}
      <ul>
        {outputs.map((output) => (
          <li key={output}>
            <button type="button" disabled={!finished} onClick={() => void download(output)}>
              Download {output}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
    </>
  );
}
