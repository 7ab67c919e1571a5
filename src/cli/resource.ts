// The resource envelope as the CLI reads it, and where a team's resources live in the API.
import { segment } from './client.ts';

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
