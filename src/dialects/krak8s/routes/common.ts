// What every krak8s route file shares: its tag, path parameters and the documented bare responses.
import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../../api/app-types.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { GoaError } from '../wire.ts';

export type Krak8sRoutes = (app: ApiApp, ctx: ResourceContext) => void;

export const tags = ['krak8s'];

const id = (description: string) => Type.String({ description });
export const ProjectParams = Type.Object({ projectid: id('project id (8 hex)') });
export const NamespaceParams = Type.Object({
  projectid: id('project id (8 hex)'),
  namespaceid: id('namespace id (8 hex)'),
});
export const ClusterParams = Type.Object({
  projectid: id('project id (8 hex)'),
  resource_id: id('cluster id (8 hex)'),
});
export const ApplicationParams = Type.Object({
  projectid: id('project id (8 hex)'),
  appid: id('application id (8 hex)'),
});

const bare = (description: string) => Type.Null({ description });
export const responses = {
  badRequest: { 400: { ...GoaError, description: 'Bad Request (application/vnd.goa.error)' } },
  unauthorized: { 401: { ...GoaError, description: 'Unauthorized: credentials refused (application/vnd.goa.error)' } },
  notFound: { 404: bare('Not Found (no body)') },
  conflict: { 409: bare('Conflict (no body)') },
  noContent: { 204: bare('No Content') },
};
