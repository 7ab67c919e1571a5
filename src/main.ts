// `npm start`: load the configuration, check its ports are free, build the app, serve until told to stop.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.ts';
import { checkPortsFree, describeListenError } from './config/ports.ts';
import type { Config } from './config/schema.ts';
import { buildApp } from './server.ts';

const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, allowPositionals: false });

let config: Config | undefined;
try {
  config = loadConfig({ file: values.config });
  // Before the migrations and the bootstrap admin: a taken port changes nothing.
  await checkPortsFree(config);
  const app = await buildApp(config);
  await app.http.listen({
    host: config.server.host,
    port: config.server.port,
    listenTextResolver: (address) =>
      `cloudplane listening at ${address} (native API at /api/v1, dialects at their paths)`,
  });
  const stop = async (signal: NodeJS.Signals) => {
    app.http.log.info(`${signal}: shutting down (listeners, engine workers, database)`);
    await app.close();
    app.http.log.info('stopped');
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const listenError = config && describeListenError(config, error);
  if (error instanceof ConfigError || listenError) {
    console.error(`cloudplane: ${listenError || (error as Error).message}`);
    process.exit(2);
  }
  throw error;
}
