// Prepares a fresh cloudplane for measuring: a bearer token, a team and seeded resources.
export interface Fixture {
  url: string;
  token: string;
  team: string;
  /** Ids of the seeded resources, which the get scenario reads in turn. */
  resourceIds: string[];
}

export async function call(
  url: string,
  path: string,
  init: { method: string; token?: string; body?: unknown },
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${url}${path}`, { method: init.method, headers, body: JSON.stringify(init.body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** The spec spelled out as the server stores it after its defaults, so a peer storing the body as given writes the same row. */
export const clusterBody = (name: string) => ({
  kind: 'cluster',
  name,
  spec: { nodePoolSize: 3, node: { cpus: 1, memoryMiB: 1024, diskGiB: 10 }, version: '' },
});

/** Signs in as the bootstrap admin and makes the team everything is created in. */
export async function openTeam(url: string, adminPassword: string): Promise<{ token: string; team: string }> {
  const login = await call(url, '/api/v1/auth/login', {
    method: 'POST',
    body: { username: 'admin', password: adminPassword },
  });
  const token = (login.token as { token: string }).token;
  const team = (await call(url, '/api/v1/teams', { method: 'POST', token, body: { name: 'bench' } })).name as string;
  return { token, team };
}

export async function prepareFixture(url: string, adminPassword: string, seedCount: number): Promise<Fixture> {
  const { token, team } = await openTeam(url, adminPassword);
  const resourceIds: string[] = [];
  for (let i = 0; i < seedCount; i++) {
    const created = await call(url, `/api/v1/teams/${team}/resources`, {
      method: 'POST',
      token,
      body: clusterBody(`seed-${i}`),
    });
    resourceIds.push((created.metadata as { id: string }).id);
  }
  return { url, token, team, resourceIds };
}

/** Waits until no resource of the team is still pending: the engine has applied the seeds and is idle again. */
export async function waitUntilApplied(fixture: Fixture, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const path = `/api/v1/teams/${fixture.team}/resources?state=pending&limit=1`;
  while (Date.now() < deadline) {
    const { items } = (await call(fixture.url, path, { method: 'GET', token: fixture.token })) as { items: unknown[] };
    if (items.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the seeded resources were still pending after ${timeoutMs} ms`);
}

/** One real answer, byte for byte: what the same-bytes peer sends back. */
export interface RecordedAnswer {
  status: number;
  /** Without those node:http sets itself (date, connection, keep-alive, content-length, transfer-encoding). */
  headers: Record<string, string>;
  body: Buffer;
}

const setByNode = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export async function recordAnswer(url: string, path: string, token: string): Promise<RecordedAnswer> {
  // identity: fetch would decode a compressed body and the bytes would no longer match the headers.
  const response = await fetch(`${url}${path}`, {
    headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'identity' },
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${body.toString('utf8')}`);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!setByNode.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body };
}
