// The projection runner service: follows the event log into the live views, rebuilding any
// projection whose version changed (blue/green), until SIGTERM or SIGINT.

import {
  createLogger,
  eventStoreConfig,
  openCheckpointStore,
  openEventStore,
  openViewStore,
  readServiceConfig,
  viewStoreConfig,
} from '@marquee/platform';
import { allProjections } from '@marquee/read-models';
import { z } from 'zod';
import { runLive } from './runner/generations';

const log = createLogger('projections');
const config = readServiceConfig({
  ...eventStoreConfig,
  ...viewStoreConfig,
  /** Events folded in memory between writes while catching up. */
  PROJECTION_BATCH: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
});
const eventStore = await openEventStore(config.EVENT_STORE_URL);
const viewStore = await openViewStore(config.VIEW_STORE_URL);
// The projections' checkpoints live beside the views they describe.
const checkpoints = await openCheckpointStore(config.VIEW_STORE_URL);
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    log.info({ signal }, 'stopping');
    stop.abort();
  });

log.info({ eventStore: config.EVENT_STORE_URL, viewStore: config.VIEW_STORE_URL }, 'projection runner starting');
let lastReport = 0;
const now = () => new Date();
try {
  await runLive({
    eventStore,
    viewStore,
    checkpoints,
    projections: allProjections,
    now,
    signal: stop.signal,
    catchUpBatch: config.PROJECTION_BATCH,
    onProgress: ({ position, head, events }) => {
      if (now().getTime() - lastReport < 5000) return;
      lastReport = now().getTime();
      log.info({ position, head, events }, 'projecting');
    },
    onCaughtUp: (position) => log.info({ position }, 'views caught up; following live'),
  });
} catch (error) {
  // Views that no longer follow the log must not look healthy: a restart resumes from the checkpoints.
  log.fatal({ error: error instanceof Error ? error.message : String(error) }, 'the projection runner failed');
  log.flush();
  process.exit(1);
}
await eventStore.close();
await viewStore.close();
await checkpoints.close();
log.info('stopped');
