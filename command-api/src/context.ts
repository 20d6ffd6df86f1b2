import type { AggregateCache, ApiKeys, EdgeHealth, EventStore, ViewStore } from '@marquee/platform';

/** What every command handler may use: the stores and settings the app was built with. */
export type CommandContext = {
  eventStore: EventStore;
  viewStore: ViewStore;
  edgeHealth: EdgeHealth;
  access: { tokenSecret: string; apiKeys: ApiKeys };
  /** Shared with the edges, which check the tokens players send. */
  contentTokens: { secret: string; ttlSeconds: number };
  /** Steering's last resort, after every edge. */
  originUrl: string;
  /** Where sources land, the largest taken, and how long an upload may stay unfinished. */
  uploads: { directory: string; maxBytes: number; expiryMs: number };
  /** log2 of scrypt's N for new password hashes (PASSWORD_HASH_COST). */
  passwordCost: number;
  aggregates: AggregateCache;
  now: () => Date;
};
