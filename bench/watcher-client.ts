// A child process holding N change-feed streams (server-sent events) open, so that reading them does not share the
// load generator's event loop. It notes when each stream sees each probe resource (named `probe-<n>`) and hands the
// times back over IPC; it does not parse the other events, only looks for the probes' names in the bytes.
import { Agent, get, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

interface Start {
  url: string;
  token: string;
  /** The team each stream follows, one entry per stream. */
  teams: string[];
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the parent's. */
const now = () => performance.timeOrigin + performance.now();

const marker = Buffer.from('"name":"probe-');
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

/** Probe number -> the time each stream saw it. */
const seen = new Map<number, number[]>();
let ended = 0;

function watchProbes(response: IncomingMessage) {
  let tail = Buffer.alloc(0);
  response.on('data', (chunk: Buffer) => {
    const at = now();
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let from = 0;
    for (let found = bytes.indexOf(marker, from); found !== -1; found = bytes.indexOf(marker, from)) {
      let end = found + marker.length;
      while (end < bytes.length && bytes[end] >= 0x30 && bytes[end] <= 0x39) end++;
      if (end === bytes.length) break; // the number goes on in the next chunk
      const probe = Number(bytes.subarray(found + marker.length, end).toString('latin1'));
      (seen.get(probe) ?? seen.set(probe, []).get(probe)!).push(at);
      from = end;
    }
    tail = Buffer.from(bytes.subarray(Math.max(from, bytes.length - marker.length - 12)));
  });
  response.on('end', () => ended++);
}

function open(start: Start, team: string): Promise<void> {
  const url = `${start.url}/api/v1/events?team=${encodeURIComponent(team)}&live=true`;
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { agent, headers: { accept: 'text/event-stream', authorization: `Bearer ${start.token}` } },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`the change feed answered ${response.statusCode}`));
        watchProbes(response);
        resolve();
      },
    );
    request.on('error', reject);
  });
}

process.on('message', (message: { start?: Start; report?: true }) => {
  if (message.start) {
    const start = message.start;
    // A few at a time: each stream reads its (empty) backlog once as it opens.
    void (async () => {
      for (let i = 0; i < start.teams.length; i += 50)
        await Promise.all(start.teams.slice(i, i + 50).map((team) => open(start, team)));
      process.send!({ ready: true });
    })().catch((error: Error) => process.send!({ error: error.message }));
  }
  if (message.report) {
    // The parent stops this process once it has the report.
    process.send!({ seen: [...seen.entries()], ended });
  }
});
