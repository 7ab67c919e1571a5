// A minimal server-sent-events reader over fetch, for the change-feed tests.
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Waits for the next `count` events. */
  take(count: number): Promise<SseEvent[]>;
  /** Reads until the server ends the stream and returns the events not taken; fails if it is still open after `seconds`. */
  ended(seconds?: number): Promise<SseEvent[]>;
  close(): void;
}

export async function openEventStream(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${token}`, ...headers },
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ready: SseEvent[] = [];

  const parseBlock = (block: string) => {
    const fields: Record<string, string> = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || !line.includes(':')) continue;
      const at = line.indexOf(':');
      fields[line.slice(0, at)] = line.slice(at + 1).trimStart();
    }
    if (fields.data !== undefined) ready.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
  };

  const append = (value: Uint8Array) => {
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      parseBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  };

  return {
    status: response.status,
    headers: response.headers,
    async take(count) {
      while (ready.length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended after ${ready.length} events`);
        append(value);
      }
      return ready.splice(0, count);
    },
    async ended(seconds = 10) {
      const timer = setTimeout(() => controller.abort(), seconds * 1000);
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) append(chunk.value);
      } catch {
        throw new Error(`the stream was still open after ${seconds} s`);
      } finally {
        clearTimeout(timer);
      }
      return ready.splice(0);
    },
    close: () => controller.abort(),
  };
}
