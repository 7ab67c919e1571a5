// The change feed (GET /api/v1/events as server-sent events) read with fetch, because EventSource cannot send
// the bearer header; after a disconnect it reconnects with Last-Event-ID and so misses nothing.
import type { Api } from './client.ts';

export interface FeedEvent {
  id: number;
  at: string;
  type: string;
  team: string | null;
  object: { kind: string; id: string };
  data: Record<string, unknown>;
}

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface FeedOptions {
  /** Only this team's events (id or name). */
  team?: string;
  /** Only the events about this object (a resource id). */
  object?: string;
  onEvent: (event: FeedEvent) => void;
  /**
   * Told of each change of state; `resumed` is false when the stream starts without a Last-Event-ID (no event
   * seen yet): then the caller reads the current state again, as events before that moment are not replayed.
   */
  onState?: (state: FeedState, resumed: boolean) => void;
}

/** Splits a text/event-stream body into its `id` and `data` fields, event by event. */
async function* readBlocks(body: ReadableStream<Uint8Array>): AsyncGenerator<{ id?: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const fields: { id?: string; data: string[] } = { data: [] };
      for (const line of buffer.slice(0, end).split('\n')) {
        const at = line.indexOf(':');
        if (at <= 0) continue;
        const value = line.slice(at + 1).replace(/^ /, '');
        if (line.startsWith('id:')) fields.id = value;
        else if (line.startsWith('data:')) fields.data.push(value);
      }
      buffer = buffer.slice(end + 2);
      if (fields.data.length > 0) yield { id: fields.id, data: fields.data.join('\n') };
    }
  }
}

/** Follows the feed until the returned function is called. */
export function followChanges(api: Api, options: FeedOptions): () => void {
  const stop = new AbortController();
  let lastId: string | undefined;
  let backoff = 500;
  const state = (value: FeedState, resumed = false) => options.onState?.(value, resumed);

  async function connect(): Promise<void> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const resumed = lastId !== undefined;
    if (resumed) headers['last-event-id'] = lastId!;
    // With nothing seen yet, no backlog: the page has just read the current state.
    const query = {
      ...(options.team ? { team: options.team } : {}),
      ...(options.object ? { object: options.object } : {}),
      ...(resumed ? {} : { live: true }),
    };
    const { response } = await api.GET('/api/v1/events', {
      params: { query },
      headers,
      parseAs: 'stream',
      signal: stop.signal,
    });
    // A refused token has already ended the session (client middleware): nothing to retry.
    if (response.status === 401 || response.status === 403) return state('closed');
    if (!response.ok || !response.body) throw new Error(`change feed answered ${response.status}`);
    backoff = 500;
    state('live', resumed);
    for await (const block of readBlocks(response.body)) {
      if (block.id !== undefined) lastId = block.id;
      const event = JSON.parse(block.data) as FeedEvent;
      if (typeof event.id === 'number') options.onEvent(event);
    }
  }

  void (async () => {
    state('connecting');
    while (!stop.signal.aborted) {
      try {
        await connect();
      } catch {
        // A dropped connection or a server restart: retried below.
      }
      if (stop.signal.aborted) break;
      state('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, 10000);
    }
  })();

  return () => {
    stop.abort();
    state('closed');
  };
}
