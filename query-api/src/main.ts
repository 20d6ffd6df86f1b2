// The query API's composition root: read the configuration, open the stores, serve.
import type { Server } from 'node:http';
import {
  accessConfig,
  accessSettings,
  contentTokenConfig,
  createLogger,
  defaultPorts,
  edgeHealthConfig,
  encodingStatusOf,
  eventStoreConfig,
  loadContentTokenSecret,
  logConfig,
  openCheckpointStore,
  openEncodeQueue,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  port,
  readServiceConfig,
  redisConfig,
  viewStoreConfig,
} from '@marquee/platform';
import { z } from 'zod';
import { createQueryApp } from './app';

const configSchema = {
  ...eventStoreConfig,
  ...viewStoreConfig,
  ...accessConfig,
  QUERY_API_PORT: port.default(defaultPorts.queryApi),
  QUERY_API_HOST: z.string().default('127.0.0.1'),
  READY_MAX_LAG: z.coerce.number().int().min(0).default(1000),
  /** How often players ask content steering again, in seconds: how fast they leave a dead edge. */
  STEERING_TTL_SECONDS: z.coerce.number().int().min(1).max(3600).default(2),
  /** Steering checks the content tokens in its URLs with the secret edges check them with. */
  ...contentTokenConfig,
  ...redisConfig,
  ...edgeHealthConfig,
  ...logConfig,
};
const config = readServiceConfig(configSchema);
const logger = createLogger('query-api', config.LOG_LEVEL);
const eventStore = await openEventStore(config.EVENT_STORE_URL);
const viewStore = await openViewStore(config.VIEW_STORE_URL);
const checkpoints = await openCheckpointStore(config.VIEW_STORE_URL);
const { tokenSecret, apiKeys } = accessSettings(config);
const encodeQueue = openEncodeQueue(config.REDIS_URL);
const edgeHealth = openRedisEdgeHealth(config.REDIS_URL, {
  now: () => new Date(),
  staleSeconds: config.EDGE_HEALTH_STALE_SECONDS,
  logger,
});

const app = createQueryApp({
  viewStore,
  checkpoints,
  eventStore,
  access: { tokenSecret, apiKeys },
  readyMaxLag: config.READY_MAX_LAG,
  logger,
  encodings: encodingStatusOf(encodeQueue),
  steering: {
    edgeHealth,
    contentTokenSecret: loadContentTokenSecret(config),
    ttlSeconds: config.STEERING_TTL_SECONDS,
  },
});
const server: Server = await new Promise((resolve, reject) => {
  const listening = app.listen(config.QUERY_API_PORT, config.QUERY_API_HOST, (error?: Error) =>
    error ? reject(error) : resolve(listening),
  );
});
const address = server.address();
const boundPort = typeof address === 'object' && address ? address.port : config.QUERY_API_PORT;
logger.info(`query API listening on http://${config.QUERY_API_HOST}:${boundPort}`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'query API stopping');
  // Keep-alive connections would hold close() open for their idle timeout.
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([
    viewStore.close(),
    checkpoints.close(),
    eventStore.close(),
    encodeQueue.close(),
    edgeHealth.close(),
  ]);
  logger.info('query API stopped');
  logger.flush();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
