// The resource envelope as the CLI reads it, and where a team's resources live in the API.
import { segment, type Client } from './client.ts';

export interface Resource {
  metadata: {
    id: string;
    kind: string;
    name: string;
    team: string;
    namespace: string | null;
    parent: string | null;
    labels: Record<string, string>;
    createdAt: string;
    resourceVersion: string;
  };
  spec: Record<string, unknown>;
  status: { state: string; message: string };
}

export const resourcesPath = (team: string) => `/teams/${segment(team)}/resources`;
export const resourcePath = (team: string, id: string) => `${resourcesPath(team)}/${segment(id)}`;

/** The live resource of a kind with this name (in this namespace, when given), if there is one. */
export async function findByName(
  api: Client,
  team: string,
  kind: string,
  name: string,
  namespace?: string,
): Promise<Resource | undefined> {
  const page = await api.get<{ items: Resource[] }>(resourcesPath(team), { kind, name, namespace });
  // Without a namespace the list spans them all: only one outside any namespace is the one meant.
  return page.items.find((r) => namespace !== undefined || r.metadata.namespace === null);
}
