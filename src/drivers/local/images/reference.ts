// Image references as Docker and OCI tools read them: `alpine:3` is `docker.io/library/alpine:3`, a first
// component with a dot, a colon or `localhost` names a registry, and `@sha256:...` pins a manifest.
import { PermanentDriverError } from '../../driver.ts';

export interface ImageReference {
  /** host[:port] */
  registry: string;
  repository: string;
  /** Absent when the reference is pinned by digest alone. */
  tag?: string;
  digest?: string;
}

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const repositoryPattern = new RegExp(`^${component}(?:/${component})*$`);
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

const looksLikeRegistry = (first: string) => first.includes('.') || first.includes(':') || first === 'localhost';

export function parseImageReference(name: string, defaultRegistry: string): ImageReference {
  const invalid = (why: string) => new PermanentDriverError(`image ${name} is not a valid image reference: ${why}`);
  const [named, digest, ...rest] = name.split('@');
  if (rest.length > 0) throw invalid('more than one @');
  if (digest !== undefined && !digestPattern.test(digest))
    throw invalid('the digest must be sha256: and 64 hex digits');
  const slash = named.indexOf('/');
  const first = slash === -1 ? '' : named.slice(0, slash);
  const [registry, remainder] = looksLikeRegistry(first) ? [first, named.slice(slash + 1)] : [defaultRegistry, named];
  const colon = remainder.lastIndexOf(':');
  const [path, tag] = colon === -1 ? [remainder, undefined] : [remainder.slice(0, colon), remainder.slice(colon + 1)];
  if (tag !== undefined && !tagPattern.test(tag)) throw invalid(`bad tag ${JSON.stringify(tag)}`);
  // Docker Hub keeps its official images under library/.
  const repository = registry === 'docker.io' && !path.includes('/') ? `library/${path}` : path;
  if (!repositoryPattern.test(repository)) throw invalid('the repository name must be lower case path components');
  return { registry, repository, tag: tag ?? (digest === undefined ? 'latest' : undefined), digest };
}

export const formatReference = (reference: ImageReference): string =>
  `${reference.registry}/${reference.repository}${reference.tag ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
