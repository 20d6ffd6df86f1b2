// The project for bench/query: the query API as main.ts builds it, on the benchmark's stores.
import {
  createLogger,
  openCheckpointStore,
  openEventStore,
  openRedisEdgeHealth,
  openViewStore,
  parseApiKeys,
} from '@marquee/platform';
import { createQueryApp } from '@marquee/query-api';

const eventStore = await openEventStore(process.env.EVENT_STORE_URL as string);
const viewStore = await openViewStore(process.env.VIEW_STORE_URL as string);
const checkpoints = await openCheckpointStore(process.env.VIEW_STORE_URL as string);
const app = createQueryApp({
  eventStore,
  viewStore,
  checkpoints,
  access: { tokenSecret: process.env.TOKEN_SECRET as string, apiKeys: parseApiKeys('') },
  readyMaxLag: 1000,
  logger: createLogger('query-api', 'silent'),
  // Not measured here; steering answers from the machine's Redis like the real one.
  steering: {
    edgeHealth: openRedisEdgeHealth(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    contentTokenSecret: 'bench-content-token-secret-0123456789abcdef',
    ttlSeconds: 5,
  },
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
