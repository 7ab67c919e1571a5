// The signed-in user's token, kept in sessionStorage: per tab, gone when the tab closes, never sent by the
// browser on its own (so no CSRF), and readable only by scripts of this origin, which the CSP limits to ours.
export interface SignedIn {
  token: string;
  tokenId: string;
  username: string;
  isAdmin: boolean;
  /** An API token pasted at sign-in: logout forgets it but leaves it to the scripts it was made for. */
  pasted: boolean;
}

const key = 'cloudplane.session';

export class Session {
  #listeners = new Set<() => void>();
  #storage: Storage;
  /** Why the last session ended without a logout (shown on the login page), if it did. */
  reason: string | undefined;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  get current(): SignedIn | undefined {
    const saved = this.#storage.getItem(key);
    return saved ? (JSON.parse(saved) as SignedIn) : undefined;
  }

  get token(): string | undefined {
    return this.current?.token;
  }

  signIn(signedIn: SignedIn) {
    this.reason = undefined;
    this.#storage.setItem(key, JSON.stringify(signedIn));
    this.#changed();
  }

  /** Forgets the token; `reason` says why when the server refused it (a 401). */
  end(reason?: string) {
    if (!this.current) return;
    this.reason = reason;
    this.#storage.removeItem(key);
    this.#changed();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed() {
    for (const listener of this.#listeners) listener();
  }
}
