// Remembers who a token is and what role a user holds in a team, so a request costs no identity
// queries. Emptied at once by changes made in this process, and within a feed poll (about half a
// second) by identity events from other processes sharing the database.
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Caller, TeamRole } from './caller.ts';
import type { TeamRow } from '../store/teams.ts';

const maxEntries = 10_000;
const ttlMs = 60_000;

export interface CachedToken {
  caller: Caller;
  expiresAt: string | null;
  lastUsedAt: number;
}

interface Entry<T> {
  value: T;
  storedAt: number;
}

const identityEvent = /^(token|user|team|member)\./;

export class AccessCache {
  private readonly tokens = new Map<string, Entry<CachedToken>>();
  private readonly teams = new Map<string, Entry<{ team: TeamRow; role: TeamRole | null }>>();

  async watch(feed: ChangeFeed): Promise<() => void> {
    return feed.subscribe((event) => {
      if (identityEvent.test(event.type)) this.clear();
    });
  }

  clear(): void {
    this.tokens.clear();
    this.teams.clear();
  }

  token(hash: string): CachedToken | undefined {
    return this.fresh(this.tokens, hash);
  }

  rememberToken(hash: string, token: CachedToken): void {
    this.store(this.tokens, hash, token);
  }

  /** A team as seen by one user: the row, and their role (null: not a member). */
  teamFor(userId: string, teamRef: string) {
    return this.fresh(this.teams, `${userId}\n${teamRef}`);
  }

  rememberTeamFor(userId: string, teamRef: string, value: { team: TeamRow; role: TeamRole | null }): void {
    this.store(this.teams, `${userId}\n${teamRef}`, value);
  }

  private fresh<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.storedAt > ttlMs) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private store<T>(map: Map<string, Entry<T>>, key: string, value: T): void {
    if (map.size >= maxEntries) map.clear();
    map.set(key, { value, storedAt: Date.now() });
  }
}
