// The krak8s dialect: samsung-cnct/krak8s (goa v1) at /v1/projects..., its projects being our teams.
import type { ApiApp } from '../../api/app-types.ts';
import { basicAuth, type Dialect } from '../dialect.ts';
import { krak8sAuthentication } from './caller.ts';
import { handleKrak8sError } from './errors.ts';
import { applicationRoutes } from './routes/applications.ts';
import { clusterRoutes } from './routes/clusters.ts';
import { documentRoutes } from './routes/documents.ts';
import { namespaceRoutes } from './routes/namespaces.ts';
import { projectRoutes } from './routes/projects.ts';

export const krak8sDialect: Dialect = {
  name: 'krak8s',
  description: 'Dialect: krak8s (/v1/projects...); its Swagger 2.0 document at /swagger.json',
  securitySchemes: basicAuth,
  // Nothing at all acts as the service user dialects.krak8s.user, when one is configured.
  security: [{ bearerAuth: [] }, { basicAuth: [] }, {}],
  async register(scope, ctx) {
    const app = scope as unknown as ApiApp;
    app.setErrorHandler(handleKrak8sError);
    // goa decoded every body as JSON whatever its content type; decode.ts checks it with goa's messages.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // The route schemas document the wire in /openapi.json; checking and writing bodies is done by hand.
    app.setValidatorCompiler(() => () => true);
    app.setSerializerCompiler(() => (data) => (typeof data === 'string' ? data : JSON.stringify(data)));
    app.decorateRequest('caller', null);
    app.addHook('onRequest', krak8sAuthentication(ctx));
    for (const routes of [projectRoutes, namespaceRoutes, clusterRoutes, applicationRoutes, documentRoutes])
      routes(app, ctx);
  },
};
