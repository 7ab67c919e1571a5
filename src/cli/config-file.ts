// Where `login` keeps the server url and token between runs, readable by the owner only.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SavedConfig {
  url?: string;
  token?: string;
}

/** CLOUDPLANE_CONFIG_DIR wins so tests and scripts can keep their own login apart. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.CLOUDPLANE_CONFIG_DIR) return env.CLOUDPLANE_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'cloudplane');
}

const configPath = (env: NodeJS.ProcessEnv) => join(configDir(env), 'config.json');

export function readConfig(env: NodeJS.ProcessEnv): SavedConfig {
  try {
    const parsed = JSON.parse(readFileSync(configPath(env), 'utf8'));
    return {
      url: typeof parsed.url === 'string' ? parsed.url : undefined,
      token: typeof parsed.token === 'string' ? parsed.token : undefined,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${configPath(env)}: ${(error as Error).message}`, { cause: error });
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a token behind. */
export function writeConfig(env: NodeJS.ProcessEnv, config: SavedConfig): void {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = join(dir, `.config.json.${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, configPath(env));
}
