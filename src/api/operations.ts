// The operationId of every operation in /openapi.json (the method name a generated client gives it): a route's
// own `schema.operationId`, else one derived from its method and path, prefixed by its dialect's name.

/** The parts of an OpenAPI document this naming reads and writes. */
export interface OperationObject {
  operationId?: string;
  tags?: string[];
  [key: string]: unknown;
}
export type PathItem = Record<string, OperationObject | unknown>;

export const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const upperFirst = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const camel = (words: string[]) => words.map((word, index) => (index === 0 ? word : upperFirst(word))).join('');
const isParameter = (segment: string) => segment.startsWith('{');
/** Segments that say where an API lives, not what an operation does. */
const isPrefix = (segment: string) => segment === 'api' || /^v\d+$/.test(segment);

/** `lambda_instances`, `ca.pem`, `decrementUserCredit.php`: lower-case words. */
const wordsOf = (segment: string) =>
  segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());

const isPlural = (word: string) => /[^su]s$/.test(word);
const singular = (word: string) =>
  word.endsWith('ies') ? word.slice(0, -3) + 'y' : isPlural(word) ? word.slice(0, -1) : word;
const singularLast = (words: string[]) => [...words.slice(0, -1), singular(words[words.length - 1])];

/**
 * REST names from the path's nouns (a noun before its parameter is singular):
 * GET /teams/{team}/resources: listTeamResources; GET .../resources/{id}: getTeamResource;
 * POST .../resources: createTeamResource; PUT, PATCH, DELETE .../{id}: replace, update, delete;
 * POST .../invoices/{invoice}/void or POST /create_order: the last segment is the verb (voidBillingAccountInvoice, createOrder).
 */
export function deriveOperationId(method: string, path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && !isPrefix(segment));
  const nouns: string[] = [];
  segments.forEach((segment, index) => {
    if (isParameter(segment)) return;
    const words = wordsOf(segment);
    nouns.push(...(isParameter(segments[index + 1] ?? '') ? singularLast(words) : words));
  });
  const last = segments[segments.length - 1] ?? '';
  const lastWords = isParameter(last) ? [] : wordsOf(last);
  const verb = method.toLowerCase();
  if (nouns.length === 0) return camel([verb, 'root']);
  if (verb === 'get')
    return camel([isParameter(last) || !isPlural(nouns[nouns.length - 1]) ? 'get' : 'list', ...nouns]);
  if (verb === 'put') return camel(['replace', ...nouns]);
  if (verb === 'patch') return camel(['update', ...nouns]);
  if (verb === 'delete') return camel(['delete', ...nouns]);
  if (verb === 'post' && isPlural(lastWords[lastWords.length - 1] ?? ''))
    return camel(['create', ...singularLast(nouns)]);
  // An action: POST /invoices/{invoice}/void, POST /create_order.
  if (verb === 'post' && lastWords.length > 0) return camel([...lastWords, ...nouns.slice(0, -lastWords.length)]);
  return camel([verb, ...nouns]);
}

/**
 * Names every operation of `paths` in place. One route serving several methods (ConPaaS's GET|POST) is one shared
 * object here: each method gets a copy, and the ones after the first are told apart by their method
 * (conpaasListServices, conpaasListServicesViaPost). A tag in `prefixedTags` (a dialect's) prefixes the name.
 */
export function nameOperations(paths: Record<string, PathItem>, prefixedTags: readonly string[]): void {
  for (const [path, item] of Object.entries(paths)) {
    const seen = new Set<unknown>();
    for (const method of httpMethods) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const shared = seen.has(operation);
      seen.add(operation);
      let name = operation.operationId ?? deriveOperationId(method, path);
      if (shared && operation.operationId) name += `Via${upperFirst(method)}`;
      const prefix = operation.tags?.find((tag) => prefixedTags.includes(tag));
      item[method] = { ...operation, operationId: prefix ? prefix + upperFirst(name) : name };
    }
  }
}
