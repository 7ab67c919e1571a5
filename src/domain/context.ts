// What every service is handed (types only): the store, the configuration, the change feed and the
// access cache, wired once by the composition root (src/core.ts). Each layer above extends it:
// resources/context.ts (kinds), pki/context.ts (the authority), engine/context.ts (drivers).
import type { Config } from '../config/schema.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/store.ts';
import type { AccessCache } from './access-cache.ts';

export interface ServiceContext {
  store: Store;
  config: Config;
  feed: ChangeFeed;
  access: AccessCache;
}
