import { Redis } from 'ioredis';

/**
 * What every instance of the command API shares beyond the stores: kept answers and key
 * leases, and tus's upload locks and metadata, in Redis under one key prefix.
 */
export type SharedState = {
  redis: Redis;
  /** Every key starts with it, so installations (and test runs) sharing one Redis stay apart. */
  keyPrefix: string;
  /** How long an answer to a keyed request is kept for retries (24 hours unless said). */
  answerTtlMs?: number;
};

export const openSharedState = (options: {
  redisUrl: string;
  keyPrefix: string;
  answerTtlMs?: number;
  onError?: (error: Error) => void;
}): SharedState & { close(): Promise<void> } => {
  // One retry, then a command fails: a keyed request is refused (503) rather than left waiting.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  redis.on('error', options.onError ?? (() => {}));
  return {
    redis,
    keyPrefix: options.keyPrefix,
    ...(options.answerTtlMs !== undefined && { answerTtlMs: options.answerTtlMs }),
    close: async () => {
      await redis.quit();
    },
  };
};
