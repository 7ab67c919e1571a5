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

function applyEnv(tree: Tree, env: NodeJS.ProcessEnv) {
  const visit = (schema: TObject, path: string[]) => {
    for (const [key, child] of Object.entries(schema.properties)) {
      const childPath = [...path, key];
      if (child.type === 'object' && child.properties) visit(child as TObject, childPath);
      else {
        const name = envNameFor(childPath);
        if (env[name] !== undefined) setPath(tree, childPath, readEnvValue(child, env[name], name));
      }
    }
  };
  for (const [alias, path] of Object.entries(aliases)) {
    const leaf = (ConfigSchema.properties as Record<string, TObject>)[path[0]].properties[path[1]];
    if (env[alias] !== undefined && env[envNameFor(path)] === undefined)
      setPath(tree, path, readEnvValue(leaf, env[alias], alias));
  }
  visit(ConfigSchema, []);
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

/** Builds and validates the configuration; a bad key throws a ConfigError that names it. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Tree } = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.CLOUDPLANE_CONFIG;
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
