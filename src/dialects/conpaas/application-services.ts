// Services of applications: master's /add, /remove, /rename and the lists /list and /list/<aid>, each service a
// `service` resource in its application's namespace.
import type { PkiContext } from '../../pki/certificates.ts';
import type { ResourceContext } from '../../resources/context.ts';
import type { Resource } from '../../resources/models.ts';
import * as store from '../../store/conpaas.ts';
import { applicationStatus, defaultApplication, findApplication, type Application } from './applications.ts';
import type { ConpaasCaller } from './auth.ts';
import { appFailure, ConpaasAnswer } from './errors.ts';
import { parseInteger } from './parameters.ts';
import { availableServices, liveServices, ownedService, renameService, startService, stopService } from './services.ts';
import { inApplication, serviceDict } from './views.ts';
import type { ServiceDict, ServiceInApplication } from './wire.ts';

type Listed = { resource: Resource; sid: number };

/** The 2012 director's service dicts, or with `listForm: application` master's {service, application} pairs. */
export async function serviceList(
  ctx: ResourceContext,
  who: ConpaasCaller,
  services: Listed[],
): Promise<ServiceDict[] | ServiceInApplication[]> {
  const dicts = services.map(({ resource, sid }) => serviceDict(resource, sid, who.profile.uid));
  if (ctx.config.dialects.conpaas.listForm !== 'application') return dicts;
  const namespaces = [...new Set(services.flatMap(({ resource }) => resource.metadata.namespace ?? []))];
  const apps = new Map((await store.findLiveConpaasAppsIn(ctx.store.db, namespaces)).map((a) => [a.namespace_id, a]));
  return dicts.map((dict, i) => inApplication(dict, apps.get(services[i].resource.metadata.namespace ?? '')));
}

/** /list/<aid>: another user's application, or one that is not, has no services to show. */
export async function applicationServices(ctx: ResourceContext, who: ConpaasCaller, aid: number) {
  const app = await findApplication(ctx, who, aid);
  return serviceList(ctx, who, app ? await liveServices(ctx, who, app.team_id, app.namespace_id) : []);
}

/** The application an /add names by `appid`, else the user's default one; master's checks and messages in its order. */
async function applicationToAddTo(ctx: ResourceContext, who: ConpaasCaller, appid: string | undefined, type: string) {
  let app: Application | undefined;
  if (appid) app = await findApplication(ctx, who, parseInteger(appid));
  else if (!(app = await defaultApplication(ctx, who))) throw appFailure('No existing applications');
  if (!availableServices(ctx).includes(type)) throw appFailure(`Unknown service type '${type}'`);
  if (!app) throw appFailure(`Application ${appid} not found.`);
  if (app.status !== applicationStatus.started)
    throw appFailure(`Application ${app.aid} has not started. Try to start it first.`);
  return app;
}

/**
 * Master asked the started application's manager to add the service (`add_service`); cloudplane has no such manager
 * and starts the service itself, in the application's namespace, as /start does.
 */
export async function addService(
  ctx: ResourceContext,
  pki: PkiContext,
  who: ConpaasCaller,
  type: string,
  cloud: string,
  appid: string | undefined,
): Promise<ServiceInApplication> {
  const app = await applicationToAddTo(ctx, who, appid, type);
  try {
    const started = await startService(ctx, pki, who, type, cloud, {
      teamId: app.team_id,
      namespaceId: app.namespace_id,
    });
    return inApplication(started, app);
  } catch (error) {
    // startService fails in the 2012 form ({"error": true, "msg"}); /add speaks master's.
    if (error instanceof ConpaasAnswer && typeof error.body === 'object' && error.body && 'msg' in error.body)
      throw appFailure(String(error.body.msg));
    throw error;
  }
}

/** The application's live service of these ids, as master's `int()` read them; else master's messages. */
async function serviceOfApplication(ctx: ResourceContext, who: ConpaasCaller, values: Record<string, string>) {
  const aid = parseInteger(values.app_id);
  const sid = parseInteger(values.service_id);
  if (aid === undefined || sid === undefined) throw appFailure('Bad specification of application or service IDs');
  return { aid, sid, app: await findApplication(ctx, who, aid) };
}

const inApp = async (ctx: ResourceContext, who: ConpaasCaller, app: Application | undefined, sid: number) =>
  app !== undefined && (await ownedService(ctx, who, sid))?.resource.metadata.namespace === app.namespace_id;

/** Master's /remove: the service is deleted (through the engine); `{}`. */
export async function removeService(ctx: ResourceContext, who: ConpaasCaller, values: Record<string, string>) {
  const { aid, sid, app } = await serviceOfApplication(ctx, who, values);
  if (!app) throw appFailure(`Application ${aid} not found.`);
  if (!(await inApp(ctx, who, app, sid)) || !(await stopService(ctx, who, sid))) throw appFailure('Invalid service_id');
  return {};
}

/** Master's /rename (app_id, service_id, name): `{}`. */
export async function renameServiceOfApplication(
  ctx: ResourceContext,
  who: ConpaasCaller,
  values: Record<string, string>,
) {
  const { sid, app } = await serviceOfApplication(ctx, who, values);
  if (!values.name) throw appFailure('"name" is a required argument');
  if (!(await inApp(ctx, who, app, sid)) || !(await renameService(ctx, who, sid, values.name)))
    throw appFailure('Invalid service_id');
  return {};
}
