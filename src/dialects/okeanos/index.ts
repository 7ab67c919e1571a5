// The ~okeanos Lambda-on-Demand central service (grnet/okeanos-LoD): lambda instances and
// applications recorded by service VMs, served as service resources of the external driver.
import type { ApiApp } from '../../api/app-types.ts';
import type { Dialect } from '../dialect.ts';
import { okeanosAuthentication } from './auth.ts';
import { refuseCharsetsOtherThanUtf8 } from './charset.ts';
import { handleOkeanosError } from './errors.ts';
import { IdentityService } from './identity-service.ts';
import { authenticateRoutes } from './routes/authenticate.ts';
import { countRoutes } from './routes/counts.ts';
import { lambdaApplicationRoutes } from './routes/lambda-applications.ts';
import { lambdaInstanceRoutes } from './routes/lambda-instances.ts';

export const okeanosDialect: Dialect = {
  name: 'okeanos',
  description: 'Dialect: the ~okeanos Lambda central service (/api/...)',
  securitySchemes: {
    okeanosToken: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        '`Authorization: Token <token>`: a native API token, or one the configured ~okeanos identity service vouches for.',
    },
  },
  security: [{ okeanosToken: [] }],
  async register(scope, ctx) {
    const app = scope as unknown as ApiApp;
    const authentication = okeanosAuthentication(ctx, new IdentityService(ctx.config.dialects.okeanos));
    app.setErrorHandler(handleOkeanosError);
    app.decorateRequest('okeanosCaller', null);
    app.addHook('preParsing', refuseCharsetsOtherThanUtf8);
    countRoutes(app, ctx);
    authenticateRoutes(app, authentication);
    lambdaInstanceRoutes(app, ctx, authentication);
    lambdaApplicationRoutes(app, ctx, authentication);
  },
};
