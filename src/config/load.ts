// Loads the configuration: embedded defaults, then the YAML file, then environment variables.
import { readFileSync } from 'node:fs';
import { Value, type ValueError } from '@sinclair/typebox/value';
import type { TObject, TSchema } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { ConfigSchema, type Config } from './schema.ts';

export class ConfigError extends Error {}

type Tree = Record<string, unknown>;

/** CLOUDPLANE_DATABASE_URL for database.url, CLOUDPLANE_SERVER_BODY_LIMIT_BYTES for server.bodyLimitBytes. */
export function envNameFor(path: string[]): string {
  return ['CLOUDPLANE', ...path.map((p) => p.replace(/([a-z])([A-Z])/g, '$1_$2'))].join('_').toUpperCase();
}

/** Conventional names honoured besides the CLOUDPLANE_* ones. */
const aliases: Record<string, string[]> = { DATABASE_URL: ['database', 'url'], PORT: ['server', 'port'] };

function readEnvValue(schema: TSchema, raw: string, name: string): unknown {
  if (schema.type === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new ConfigError(`${name}: expected a JSON object, e.g. {"job":"slurm"}`);
    }
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${name}: expected a number, got "${raw}"`);
    return n;
  }
  if (schema.type === 'boolean') {
    if (!['true', 'false', '1', '0'].includes(raw)) throw new ConfigError(`${name}: expected true or false`);
    return raw === 'true' || raw === '1';
  }
  return raw;
}

function setPath(tree: Tree, path: string[], value: unknown) {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]] = value;
}

/** Every configuration key's path with its schema, in the schema's order. */
function configLeaves(schema: TObject = ConfigSchema, path: string[] = []): [string[], TSchema][] {
  return Object.entries(schema.properties).flatMap(([key, child]) =>
    child.type === 'object' && child.properties
      ? configLeaves(child as TObject, [...path, key])
      : [[[...path, key], child] as [string[], TSchema]],
  );
}

function applyEnv(tree: Tree, env: NodeJS.ProcessEnv) {
  for (const [alias, path] of Object.entries(aliases)) {
    const leaf = (ConfigSchema.properties as Record<string, TObject>)[path[0]].properties[path[1]];
    if (env[alias] !== undefined && env[envNameFor(path)] === undefined)
      setPath(tree, path, readEnvValue(leaf, env[alias], alias));
  }
  for (const [path, schema] of configLeaves()) {
    const name = envNameFor(path);
    if (env[name] !== undefined) setPath(tree, path, readEnvValue(schema, env[name], name));
  }
}

function readFile(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  const parsed = parseYaml(text) ?? {};
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`${path}: the top level must be a mapping`);
  return parsed as Tree;
}

/** The names a schema allows: the literals of a union, or the keys of an object (a record's `^(a|b)$` pattern). */
function allowedNames(schema: TSchema): string[] | undefined {
  const literals = (schema.anyOf as TSchema[] | undefined)?.map((choice) => choice.const);
  if (literals?.every((literal) => typeof literal === 'string')) return literals;
  if (schema.properties) return Object.keys(schema.properties);
  const pattern = Object.keys(schema.patternProperties ?? {})[0];
  return /^\^\(([\w|-]+)\)\$$/.exec(pattern ?? '')?.[1].split('|');
}

function hintFor(error: ValueError): string {
  const allowed = allowedNames(error.schema);
  if (!allowed) return error.message;
  return error.message === 'Unexpected property'
    ? `unknown key; expected one of ${allowed.join(', ')}`
    : `expected one of ${allowed.join(', ')}`;
}

/**
 * CLOUDPLANE_* names that are not configuration keys: the config file's path, the CLI's own settings
 * (a shell that runs both exports them), and what the local driver gives the processes it starts
 * (a job may itself run cloudplane).
 */
const otherVariables = new Set([
  'CLOUDPLANE_CONFIG',
  'CLOUDPLANE_URL',
  'CLOUDPLANE_TOKEN',
  'CLOUDPLANE_CONFIG_DIR',
  'CLOUDPLANE_SERVER',
  'CLOUDPLANE_SERVICE',
  'CLOUDPLANE_CLUSTER',
  'CLOUDPLANE_APPLICATION',
  'CLOUDPLANE_REPLICA',
  'CLOUDPLANE_JOB_ID',
  'CLOUDPLANE_INSTANCE_INDEX',
  'CLOUDPLANE_INSTANCE_COUNT',
  'CLOUDPLANE_RANK',
  'CLOUDPLANE_SIZE',
]);
/** The test suite's, CI's and the benchmarks' settings (CLOUDPLANE_TEST_POSTGRES_URL, CLOUDPLANE_SLURM_DIR...). */
const otherPrefixes = ['CLOUDPLANE_TEST_', 'CLOUDPLANE_BENCH_', 'CLOUDPLANE_SLURM_'];

/** Levenshtein distance, for naming the variable a typo meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** A mistyped CLOUDPLANE_* variable would be silently ignored: it is refused, naming the closest key's variable. */
function refuseUnknownVariables(env: NodeJS.ProcessEnv) {
  const known = configLeaves().map(([path]) => envNameFor(path));
  const valid = new Set([...known, ...otherVariables]);
  for (const name of Object.keys(env)) {
    if (!name.startsWith('CLOUDPLANE_') || valid.has(name) || otherPrefixes.some((p) => name.startsWith(p))) continue;
    const closest = [...known, 'CLOUDPLANE_CONFIG'].sort((a, b) => distance(name, a) - distance(name, b))[0];
    throw new ConfigError(`unknown environment variable ${name}: did you mean ${closest}?`);
  }
}

/** Builds and validates the configuration; a bad key throws a ConfigError that names it. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Tree } = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.CLOUDPLANE_CONFIG;
  refuseUnknownVariables(env);
  const tree: Tree = file ? readFile(file) : {};
  applyEnv(tree, env);
  for (const [section, values] of Object.entries(options.overrides ?? {})) {
    tree[section] = { ...((tree[section] as Tree) ?? {}), ...(values as Tree) };
  }
  const withDefaults = Value.Default(ConfigSchema, tree);
  const firstError = Value.Errors(ConfigSchema, withDefaults).First();
  if (firstError) {
    const key = firstError.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    throw new ConfigError(`invalid configuration key "${key}": ${hintFor(firstError)}`);
  }
  return withDefaults as Config;
}
