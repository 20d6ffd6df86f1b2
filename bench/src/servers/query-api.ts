// The project for bench/query: the query API as main.ts builds it, on the benchmark's stores.
import { createLogger, openCheckpointStore, openEventStore, openViewStore, parseApiKeys } from '@marquee/platform';
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
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
