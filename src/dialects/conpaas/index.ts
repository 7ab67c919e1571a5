// The ConPaaS dialect: the director's API (cpsdirector) on cloudplane users, services, applications, credit and certificates.
import type { Dialect } from '../dialect.ts';
import { sendConpaasError } from './errors.ts';
import { applicationRoutes } from './routes/applications.ts';
import { callbackRoutes } from './routes/callbacks.ts';
import { directorRoutes } from './routes/director.ts';
import { downloadRoutes } from './routes/download.ts';
import { serviceRoutes } from './routes/services.ts';
import { userRoutes } from './routes/users.ts';
import { installValueParsers } from './parameters.ts';

export const conpaasDialect: Dialect = {
  name: 'conpaas',
  description: 'Dialect: the ConPaaS director (form parameters, client certificates)',
  // A user certificate, or a manager's on the callbacks; the user routes take a username and password as form fields.
  securitySchemes: {},
  security: [{ mutualTLS: [] }],
  async register(app, ctx, { pki }) {
    await installValueParsers(app);
    app.setErrorHandler(sendConpaasError);
    // The route schemas document the wire in /openapi.json; parameters are read and checked by hand, as the director did.
    app.setValidatorCompiler(() => () => true);
    app.setSerializerCompiler(() => (data) => (typeof data === 'string' ? data : JSON.stringify(data)));
    userRoutes(app, ctx, pki);
    serviceRoutes(app, ctx, pki);
    applicationRoutes(app, ctx, pki);
    callbackRoutes(app, ctx, pki);
    downloadRoutes(app, ctx, pki);
    directorRoutes(app, ctx);
  },
};
