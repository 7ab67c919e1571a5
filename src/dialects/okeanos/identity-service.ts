// The Astakos-style identity service that vouches for ~okeanos tokens, behind a cache of hashed tokens.
import { hashTokenSecret } from '../../identity/token-secrets.ts';
import { messages, OkeanosError } from './errors.ts';

const maxCachedTokens = 10_000;
const requestTimeoutMs = 10_000;

interface Vouched {
  userUuid: string;
  at: number;
}

export class IdentityService {
  private readonly url: string;
  private readonly cacheMs: number;
  /** SHA-256 of the token -> the Astakos user it belongs to; the token itself is never kept. */
  private readonly cache = new Map<string, Vouched>();

  constructor(settings: { identityUrl: string; tokenCacheSeconds: number }) {
    this.url = settings.identityUrl.replace(/\/+$/, '');
    this.cacheMs = settings.tokenCacheSeconds * 1000;
  }

  get configured(): boolean {
    return this.url !== '';
  }

  /** The Astakos user uuid of `token`; an OkeanosError (401 or 503) when it cannot be vouched for. */
  async userOf(token: string): Promise<string> {
    const hash = hashTokenSecret(token);
    const cached = this.cache.get(hash);
    if (cached && Date.now() - cached.at < this.cacheMs) return cached.userUuid;
    const userUuid = await this.ask(token);
    if (this.cache.size >= maxCachedTokens) this.cache.clear();
    this.cache.set(hash, { userUuid, at: Date.now() });
    return userUuid;
  }

  private async ask(token: string): Promise<string> {
    let response: Response;
    try {
      response = await fetch(`${this.url}/identity/v2.0/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-auth-token': token },
        body: JSON.stringify({ auth: { token: { id: token } } }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch {
      throw new OkeanosError(503, messages.identityUnreachable);
    }
    if (response.status === 401 || response.status === 403 || response.status === 404)
      throw new OkeanosError(401, messages.invalidToken);
    if (!response.ok) throw new OkeanosError(503, messages.identityUnreachable);
    const body = (await response.json().catch(() => undefined)) as { access?: { user?: { id?: unknown } } } | undefined;
    const id = body?.access?.user?.id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9-]{0,55}$/.test(id))
      throw new OkeanosError(503, messages.identityUnreachable);
    return id;
  }
}
