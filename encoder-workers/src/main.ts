// The encoding farm's process: the dispatcher (uploads → encode jobs; audio tracks and captions → revise jobs) and one worker.
// Several such processes on several machines share one Redis; `ENCODER_ROLE` runs just one part.
import { join } from 'node:path';
import {
  createAggregateCache,
  createLogger,
  eventStoreConfig,
  logConfig,
  openCheckpointStore,
  openEncodeQueue,
  openEventStore,
  readServiceConfig,
  redisConfig,
  viewStoreConfig,
} from '@marquee/platform';
import { z } from 'zod';
import { defaultRungs, parseRungs } from './encoding/ladder';
import { runIntroDetector } from './intro/intro-detector';
import { defaultIntroDetectionSettings } from './intro/season-intros';
import { defaultReconcileIntervalMs, runDispatcher } from './jobs/dispatcher';
import { defaultEncodeQueueSettings } from './jobs/encode-queue';
import { startEncodeWorker } from './jobs/encode-worker';

const config = readServiceConfig({
  ...eventStoreConfig,
  ...viewStoreConfig,
  ...redisConfig,
  ...logConfig,
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where finished packages go: `origin/<titleId>/<encodingId>/`, served by the origin. */
  ORIGIN_DIR: z.string().min(1).optional(),
  ENCODER_ROLE: z.enum(['all', 'dispatcher', 'worker']).default('all'),
  ENCODER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  ENCODER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(defaultEncodeQueueSettings.attempts),
  /** How often the dispatcher checks every unfinished encoding still has a job (Redis may lose one). */
  ENCODER_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(defaultReconcileIntervalMs),
  /** The rungs a ladder is built from: `height:kbps,…`. */
  ENCODER_RUNGS: z.string().optional(),
  /** Propose each season's intro from its episodes' audio (runs beside the dispatcher). */
  ENCODER_INTRO_DETECTION: z.enum(['on', 'off']).default('on'),
  /** Seconds from each episode's start searched for the intro (at most a third of the episode). */
  ENCODER_INTRO_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(3600)
    .default(defaultIntroDetectionSettings.maxWindowSeconds),
});
const logger = createLogger('encoder-workers', config.LOG_LEVEL);
const rungs = config.ENCODER_RUNGS ? parseRungs(config.ENCODER_RUNGS) : defaultRungs;
const eventStore = await openEventStore(config.EVENT_STORE_URL, {
  duplicateScanWindow: config.ESDB_DUPLICATE_SCAN_WINDOW,
});
// The dispatcher's checkpoint lives with the others, beside the views.
const checkpoints = await openCheckpointStore(config.VIEW_STORE_URL);
const stop = new AbortController();

const worker =
  config.ENCODER_ROLE === 'dispatcher'
    ? undefined
    : startEncodeWorker(
        {
          redisUrl: config.REDIS_URL,
          originDir: config.ORIGIN_DIR ?? join(config.DATA_DIR, 'origin'),
          rungs,
          concurrency: config.ENCODER_CONCURRENCY,
          lockDurationMs: 30_000,
          stalledIntervalMs: 15_000,
        },
        { eventStore, cache: createAggregateCache(), logger },
      );
const queue = openEncodeQueue(config.REDIS_URL);
const dispatching =
  config.ENCODER_ROLE === 'worker'
    ? Promise.resolve()
    : runDispatcher({
        eventStore,
        checkpoints,
        queue,
        redisUrl: config.REDIS_URL,
        settings: { ...defaultEncodeQueueSettings, attempts: config.ENCODER_ATTEMPTS },
        reconcileIntervalMs: config.ENCODER_RECONCILE_INTERVAL_MS,
        logger,
        signal: stop.signal,
      }).catch(() => {
        // Logged by the processor. A farm that no longer dispatches must not look healthy: a restart resumes it.
        logger.flush();
        process.exit(1);
      });
const detecting =
  config.ENCODER_ROLE === 'worker' || config.ENCODER_INTRO_DETECTION === 'off'
    ? Promise.resolve()
    : runIntroDetector({
        eventStore,
        checkpoints,
        detection: { maxWindowSeconds: config.ENCODER_INTRO_WINDOW_SECONDS },
        logger,
        signal: stop.signal,
      }).catch(() => {
        // Logged by the processor; a restart resumes it from its checkpoint.
        logger.flush();
        process.exit(1);
      });
logger.info({ role: config.ENCODER_ROLE, concurrency: config.ENCODER_CONCURRENCY }, 'encoder started');

for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, async () => {
    logger.info({ signal }, 'encoder stopping');
    stop.abort();
    // A job being encoded is finished first; a worker killed instead gives it back when its lock expires.
    await worker?.close();
    await dispatching;
    await detecting;
    await queue.close();
    await eventStore.close();
    await checkpoints.close();
    logger.info('encoder stopped');
    process.exit(0);
  });
