// Reads the resources a file declares for `apply`: YAML or JSON, one or many documents, each a
// resource, a list of them or {items: [...]}, in the create body's form or as `get -o yaml` prints it.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './errors.ts';

export interface Declared {
  team: string | undefined;
  kind: string;
  name: string;
  namespace: string | undefined;
  parent: string | undefined;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
}

type Tree = Record<string, unknown>;

const isTree = (value: unknown): value is Tree => value !== null && typeof value === 'object' && !Array.isArray(value);

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

function declared(value: unknown, where: string): Declared {
  if (!isTree(value)) throw new UsageError(`${where}: expected a resource (a mapping)`);
  // `get -o yaml` nests the identity under metadata; the create body has it at the top.
  const meta = isTree(value.metadata) ? value.metadata : value;
  const kind = text(meta.kind) ?? text(value.kind);
  const name = text(meta.name);
  if (kind === undefined || name === undefined) throw new UsageError(`${where}: a resource needs a kind and a name`);
  if (value.spec !== undefined && !isTree(value.spec)) throw new UsageError(`${where}: spec must be a mapping`);
  if (meta.labels !== undefined && !isTree(meta.labels)) throw new UsageError(`${where}: labels must be a mapping`);
  return {
    team: text(meta.team),
    kind,
    name,
    namespace: text(meta.namespace),
    parent: text(meta.parent),
    labels: (meta.labels as Record<string, string> | undefined) ?? {},
    spec: (value.spec as Tree | undefined) ?? {},
  };
}

function resourcesIn(document: unknown, where: string): Declared[] {
  if (document === null || document === undefined) return [];
  if (Array.isArray(document)) return document.map((item, i) => declared(item, `${where}, item ${i + 1}`));
  if (isTree(document) && Array.isArray(document.items)) return resourcesIn(document.items, where);
  return [declared(document, where)];
}

/** `-` reads standard input. */
export function readManifest(path: string): Declared[] {
  let source: string;
  try {
    source = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const documents = parseAllDocuments(source);
  if (!Array.isArray(documents)) return [];
  return documents.flatMap((document, i) => {
    if (document.errors.length > 0)
      throw new UsageError(`${path} is not valid YAML or JSON: ${document.errors[0].message}`);
    return resourcesIn(document.toJS(), documents.length > 1 ? `${path}, document ${i + 1}` : path);
  });
}
