// The kinds the server serves (GET /kinds), loaded once per page that needs them.
import { unwrap, type Api } from './client.ts';
import type { paths } from './schema';

export type Kind = paths['/api/v1/kinds']['get']['responses'][200]['content']['application/json'][number];
export type Resource =
  paths['/api/v1/teams/{team}/resources/{id}']['get']['responses'][200]['content']['application/json'];

/** Every state some kind can be in, in the order the kinds list them (one vocabulary for all, DESIGN.md). */
export const statesOf = (kinds: Kind[]): string[] => [...new Set(kinds.flatMap((kind) => kind.states))];

export const loadKinds = async (api: Api): Promise<Kind[]> => unwrap(await api.GET('/api/v1/kinds'));
