// `npm start`: load the configuration, build the app, serve until told to stop.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.ts';
import { buildApp } from './server.ts';

const { values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, allowPositionals: false });

try {
  const config = loadConfig({ file: values.config });
  const app = await buildApp(config);
  await app.http.listen({ host: config.server.host, port: config.server.port });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`cloudplane: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
