// The project for bench/commands: the command API as main.ts builds it, on the benchmark's stores.
import { tmpdir } from 'node:os';
import { createCommandApp, openSharedState } from '@marquee/command-api';
import {
  createAggregateCache,
  createLogger,
  defaultPorts,
  localUrl,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  parseApiKeys,
  passwordConfig,
} from '@marquee/platform';

const eventStore = await openEventStore(process.env.EVENT_STORE_URL as string);
const viewStore = await openViewStore(process.env.VIEW_STORE_URL as string);
const edgeHealth = openRedisEdgeHealth(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const shared = openSharedState({
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  keyPrefix: `marquee-bench:${process.pid}:`,
});
const app = createCommandApp(
  {
    eventStore,
    viewStore,
    edgeHealth,
    access: { tokenSecret: process.env.TOKEN_SECRET as string, apiKeys: parseApiKeys(process.env.API_KEYS ?? '') },
    contentTokens: { secret: 'bench-content-secret-'.padEnd(40, 'x'), ttlSeconds: 3600 },
    originUrl: localUrl(defaultPorts.origin),
    uploads: { directory: tmpdir(), maxBytes: 1_000_000, expiryMs: 3600 * 1000 },
    passwordCost: passwordConfig.PASSWORD_HASH_COST.parse(undefined),
    aggregates: createAggregateCache(),
    now: () => new Date(),
  },
  {
    logger: createLogger('command-api', 'silent'),
    rateLimits: { logInsPerMinute: 100_000, signUpsPerMinute: 100_000 },
    shared,
    answerTtlMs: 24 * 3600 * 1000,
  },
);
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () =>
  server.close(async () => {
    await eventStore.close();
    await viewStore.close();
    await edgeHealth.close();
    await shared.close();
    process.exit(0);
  }),
);
