// The console's only way to the server: a client typed from /openapi.json (schema.d.ts, npm run console:types).
import createClient from 'openapi-fetch';
import type { Session } from '../session.ts';
import type { paths } from './schema';

export type Api = ReturnType<typeof createApi>;

/** RFC 9457 problem details as the API sends them, with the extensions the console reads. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  field?: string;
  errors?: { path: string; message: string }[];
  problems?: string[];
}

/** A refused request, carrying the problem the API answered with. */
export class ApiError extends Error {
  readonly problem: ProblemBody;
  readonly status: number;
  constructor(status: number, problem: ProblemBody) {
    super(problem.detail ?? problem.title ?? `the server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function createApi(session: Session) {
  const client = createClient<paths>({ baseUrl: location.origin });
  client.use({
    onRequest({ request }) {
      const token = session.token;
      if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      // A token refused anywhere (expired, revoked, user disabled) ends the session: back to the login page.
      if (response.status === 401 && request.headers.get('authorization') === `Bearer ${session.token}`)
        session.end('Your session has ended (the server no longer accepts its token). Please sign in again.');
      return response;
    },
  });
  return client;
}

/** The data of an openapi-fetch result, or an ApiError with the API's problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok)
    throw new ApiError(result.response.status, (result.error ?? {}) as ProblemBody);
  return result.data as T;
}

/** The message of anything thrown while talking to the server. */
export const messageOf = (error: unknown): string =>
  error instanceof ApiError ? error.message : error instanceof Error ? `${error.message}` : String(error);
