// The IMC dialect: PROMINENCE's Infrastructure Manager API (/v1/infrastructures) served as jobs and servers of one team.
import type { ApiApp } from '../../api/app-types.ts';
import { basicAuth, type Dialect } from '../dialect.ts';
import { imcAuthentication } from './auth.ts';
import { sendImcError } from './errors.ts';
import { refuseJsonInOtherCharsets } from './json-charset.ts';
import { infrastructureRoutes } from './routes/infrastructures.ts';

export const imcDialect: Dialect = {
  name: 'imc',
  description: 'Dialect: IMC infrastructures (/v1/infrastructures)',
  securitySchemes: basicAuth,
  security: [{ basicAuth: [] }, { bearerAuth: [] }],
  async register(scope, ctx) {
    const app = scope as unknown as ApiApp;
    const { team } = ctx.config.dialects.imc;
    app.setErrorHandler(sendImcError);
    app.decorateRequest('caller', null);
    app.addHook('onRequest', imcAuthentication(ctx, team));
    app.addHook('onRequest', refuseJsonInOtherCharsets);
    infrastructureRoutes(app, ctx, team);
  },
};
