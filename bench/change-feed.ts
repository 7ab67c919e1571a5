// Follows cloudplane's change feed (server-sent events) and hands each event to a callback, until stopped.
import type { Event } from '../src/events/models.ts';

export interface FeedFollower {
  /** Resolves once the stream is open, so nothing created after it can be missed. */
  opened: Promise<void>;
  /** Resolves when the stream ends: stopped, or closed by the server. */
  ended: Promise<void>;
  stop(): void;
}

/** One SSE message: its `data:` lines joined; comments (heartbeats) carry none. */
function dataOf(message: string): string | undefined {
  const lines = message.split('\n').filter((line) => line.startsWith('data:'));
  return lines.length > 0 ? lines.map((line) => line.slice(5).trimStart()).join('\n') : undefined;
}

async function readMessages(body: ReadableStream<Uint8Array>, onMessage: (data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const data = dataOf(buffered.slice(0, end));
      buffered = buffered.slice(end + 2);
      if (data !== undefined) onMessage(data);
    }
  }
}

export function followChangeFeed(
  url: string,
  token: string,
  team: string,
  onEvent: (event: Event) => void,
): FeedFollower {
  const abort = new AbortController();
  const response = fetch(`${url}/api/v1/events?team=${encodeURIComponent(team)}`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const opened = response.then((r) => {
    if (!r.ok || !r.body) throw new Error(`the change feed answered ${r.status}`);
  });
  const ended = response
    .then((r) => readMessages(r.body!, (data) => onEvent(JSON.parse(data) as Event)))
    .catch((error: unknown) => {
      if (!abort.signal.aborted) throw error;
    });
  return { opened, ended, stop: () => abort.abort() };
}
