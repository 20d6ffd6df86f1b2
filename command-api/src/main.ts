// The command API: every change in Marquee enters here. Reads its configuration, builds the
// stores and serves until SIGTERM or SIGINT.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import {
  accessConfig,
  accessSettings,
  contentTokenConfig,
  createAggregateCache,
  createLogger,
  createServerWithTimeouts,
  defaultPorts,
  edgeHealthConfig,
  eventStoreConfig,
  loadContentTokenSecret,
  localUrl,
  logConfig,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  passwordConfig,
  port,
  readServiceConfig,
  redisConfig,
  trustProxyConfig,
  uploadTransferConfig,
  uploadTransferTimeouts,
  viewStoreConfig,
} from '@marquee/platform';
import { z } from 'zod';
import { createCommandApp } from './app';
import { openSharedState } from './shared-state';
import { openUploadRecords, sweepTitleUploads } from './titles/title-uploads';

const configShape = {
  ...eventStoreConfig,
  ...viewStoreConfig,
  ...accessConfig,
  ...redisConfig,
  ...passwordConfig,
  ...edgeHealthConfig,
  ...logConfig,
  ...trustProxyConfig,
  COMMAND_API_HOST: z.string().min(1).default('127.0.0.1'),
  COMMAND_API_PORT: port.default(defaultPorts.commandApi),
  /** Where the origin serves content: steering's last resort. */
  ORIGIN_URL: z.url().default(localUrl(defaultPorts.origin)),
  /** The secret edges check content tokens with; defaults to a development secret in DATA_DIR. */
  ...contentTokenConfig,
  /**
   * How long a content token lasts. Heartbeats renew it, so it can be short: a leaked URL stops
   * working soon, and so does a stopped session's. Tests use a few seconds.
   */
  CONTENT_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(24 * 3600)
    .default(900),
  UPLOAD_DIR: z.string().min(1).optional(),
  ...uploadTransferConfig,
  /** How long a tus upload may take before it (or a crashed PUT's partial file) is swept away. */
  UPLOAD_EXPIRY_HOURS: z.coerce
    .number()
    .positive()
    .max(30 * 24)
    .default(24),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  SIGNUP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** How long an answer to a request sent with an Idempotency-Key is kept for its retries. */
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(30 * 24)
    .default(24),
  /** Where in Redis the instances keep kept answers, key leases and tus upload state. */
  COMMAND_API_REDIS_PREFIX: z.string().min(1).default('marquee:command-api:'),
};

const config = readServiceConfig(configShape);
const logger = createLogger('command-api', config.LOG_LEVEL);
const access = accessSettings(config);
const uploadDirectory = config.UPLOAD_DIR ?? join(config.DATA_DIR, 'uploads');
mkdirSync(uploadDirectory, { recursive: true });
const eventStore = await openEventStore(config.EVENT_STORE_URL, {
  duplicateScanWindow: config.ESDB_DUPLICATE_SCAN_WINDOW,
});
const viewStore = await openViewStore(config.VIEW_STORE_URL);
const now = () => new Date();
const edgeHealth = openRedisEdgeHealth(config.REDIS_URL, {
  now,
  staleSeconds: config.EDGE_HEALTH_STALE_SECONDS,
  logger,
});
// Shared by every instance; while Redis does not answer, keyed commands run degraded (no replays).
const shared = openSharedState({ redisUrl: config.REDIS_URL, keyPrefix: config.COMMAND_API_REDIS_PREFIX, logger });
const context = {
  eventStore,
  viewStore,
  edgeHealth,
  access,
  contentTokens: {
    secret: loadContentTokenSecret(config),
    ttlSeconds: config.CONTENT_TOKEN_TTL_SECONDS,
  },
  originUrl: config.ORIGIN_URL,
  uploads: {
    directory: uploadDirectory,
    maxBytes: config.UPLOAD_MAX_BYTES,
    expiryMs: config.UPLOAD_EXPIRY_HOURS * 3600 * 1000,
  },
  passwordCost: config.PASSWORD_HASH_COST,
  aggregates: createAggregateCache(),
  now,
};
const app = createCommandApp(context, {
  logger,
  shared,
  answerTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3600 * 1000,
  trustProxy: config.TRUST_PROXY,
  rateLimits: {
    logInsPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
    signUpsPerMinute: config.SIGNUP_RATE_LIMIT_PER_MINUTE,
  },
});
const server: Server = createServerWithTimeouts(app, uploadTransferTimeouts(config)).listen(
  config.COMMAND_API_PORT,
  config.COMMAND_API_HOST,
  () => {
    logger.info(`command API listening on http://${config.COMMAND_API_HOST}:${config.COMMAND_API_PORT}`);
  },
);

// Uploads that expired unfinished go at start and then a few times per expiry (at most hourly).
const uploadRecords = openUploadRecords(shared.redis, shared.keyPrefix);
const sweepEveryMs = Math.min(3600 * 1000, context.uploads.expiryMs / 4);
const sweepExpiredUploads = () =>
  sweepTitleUploads(context, uploadRecords, context.now()).then(
    ({ removed, forgotten }) => {
      if (removed.length > 0 || forgotten.length > 0)
        logger.info({ removed, forgotten }, 'expired uploads swept: unfinished ones removed, finished ones forgotten');
    },
    (error: unknown) =>
      logger.warn({ err: error }, `the upload sweep failed; it runs again in ${Math.round(sweepEveryMs / 60_000)} min`),
  );
void sweepExpiredUploads();
const uploadSweeps = setInterval(sweepExpiredUploads, sweepEveryMs);

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    logger.info({ signal }, 'command API stopping');
    clearInterval(uploadSweeps);
    server.close(async () => {
      await eventStore.close();
      await viewStore.close();
      await edgeHealth.close();
      await shared.close();
      logger.info('command API stopped');
      process.exit(0);
    });
  });
