// Talks to the native API (/api/v1) with fetch and turns problem+json answers into ApiErrors.
import { ApiError } from './errors.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface Client {
  url: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** Opens a plain-text body (a log), streamed as the server sends it. */
  openText(path: string, query?: Query): Promise<ReadableStream<Uint8Array>>;
  /** Opens a file to download: its body, its size when the server says (content-length) and its name. */
  download(path: string): Promise<Download>;
  /** Opens the server-sent-events feed at path; resumes after lastEventId when given. */
  openStream(path: string, lastEventId: string | undefined, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

export interface Download {
  body: ReadableStream<Uint8Array>;
  size: number | undefined;
  /** From content-disposition: what the server would call the file. */
  filename: string | undefined;
}

export const segment = (value: string) => encodeURIComponent(value);

const emptyBody = () => new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(text);
  } catch {
    problem = { detail: text.trim() || response.statusText };
  }
  const detail =
    typeof problem.detail === 'string' && problem.detail !== ''
      ? problem.detail
      : `${response.status} ${problem.title ?? response.statusText}`;
  return new ApiError(response.status, detail);
}

/** fetch reports a refused connection as "fetch failed"; name the server and the cause instead. */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      { cause: error },
    );
  }
}

export function createClient(url: string, token: string | undefined): Client {
  const base = `${url}/api/v1`;
  const headers = (extra: Record<string, string>) => (token ? { authorization: `Bearer ${token}`, ...extra } : extra);

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = {
      method,
      headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await send(base + path, init);
    if (!response.ok) throw await problemOf(response);
    const text = await response.text();
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  return {
    url,
    get: (path, query) => request('GET', withQuery(path, query)),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
    async openText(path, query) {
      const response = await send(base + withQuery(path, query), { headers: headers({}) });
      if (!response.ok) throw await problemOf(response);
      return response.body ?? emptyBody();
    },
    async download(path) {
      const response = await send(base + path, { headers: headers({}) });
      if (!response.ok) throw await problemOf(response);
      const length = response.headers.get('content-length');
      const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
      return { body: response.body ?? emptyBody(), size: length === null ? undefined : Number(length), filename };
    },
    async openStream(path, lastEventId, signal) {
      const extra: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId !== undefined) extra['last-event-id'] = lastEventId;
      const response = await send(base + path, { headers: headers(extra), signal });
      if (!response.ok) throw await problemOf(response);
      if (!response.body) throw new Error('the server sent an empty event stream');
      return response.body;
    },
  };
}
