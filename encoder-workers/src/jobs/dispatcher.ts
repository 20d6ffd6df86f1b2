import {
  type CheckpointStore,
  checkpointIn,
  createProcessor,
  type EncodeJob,
  type EventStore,
  type Logger,
  readDomainEvent,
} from '@marquee/platform';
import type { Queue } from 'bullmq';
import { cancelTitleEncodings, type EncodeQueueSettings } from './encode-queue';

/*
 * Reacts to SourceUploaded without a dual write: a processor that follows the log from its
 * checkpoint and adds one job per upload whose id is the event's id. BullMQ ignores a job id it
 * already has, so a replay or a restart between adding and checkpointing enqueues nothing twice;
 * and the worker is idempotent on top of that (its encoding id derives from the same id).
 */

export const dispatcherCheckpoint = 'encode-dispatcher';

/** Follows the log until the signal stops it; rejects (after logging) if dispatching fails. */
export const runDispatcher = async (options: {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  queue: Queue<EncodeJob>;
  /** Where to announce cancellations to the workers. */
  redisUrl: string;
  settings: EncodeQueueSettings;
  logger?: Logger;
  signal?: AbortSignal;
  now?: () => Date;
  /** Called after each event is dealt with; its checkpoint is saved before the next (for tests and logs). */
  onDispatched?: (position: number) => void;
}): Promise<void> => {
  const { queue, settings, signal } = options;
  const processor = createProcessor({
    name: 'encode-dispatcher',
    eventStore: options.eventStore,
    checkpoint: checkpointIn(options.checkpoints, dispatcherCheckpoint),
    filter: { eventTypes: ['SourceUploaded', 'TitleUnpublished'] },
    now: options.now ?? (() => new Date()),
    ...(options.logger && { logger: options.logger }),
    handle: async (recorded) => {
      const event = readDomainEvent(recorded);
      if (event.type === 'TitleUnpublished') {
        // Withdrawn while encoding a new version: that encoding stops.
        await cancelTitleEncodings(queue, options.redisUrl, event.data.titleId);
      } else if (event.type === 'SourceUploaded') {
        const { titleId, uploadId, path, probe } = event.data;
        await queue.add(
          'encode',
          { titleId, uploadId, sourcePath: path, probe },
          {
            jobId: recorded.id,
            attempts: settings.attempts,
            backoff: { type: 'exponential', delay: settings.backoffMs },
            // Finished jobs are kept a week, long past any replay that could re-add them.
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 30 * 24 * 3600 },
          },
        );
        options.logger?.info({ titleId, uploadId, jobId: recorded.id }, 'encode job queued');
      }
      options.onDispatched?.(recorded.position);
    },
  });
  const stop = () => void processor.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await processor.start();
    if (signal?.aborted) await processor.stop();
    await processor.done;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
};
