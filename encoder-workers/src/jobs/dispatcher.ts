import type { EncodeJob, EventStore, Logger, ViewStore } from '@marquee/platform';
import { readDomainEvent } from '@marquee/platform';
import type { Queue } from 'bullmq';
import { cancelTitleEncodings, type EncodeQueueSettings } from './encode-queue';

/*
 * Reacts to SourceUploaded without a dual write: it follows the log from its checkpoint and
 * adds one job per upload whose id is the event's id. BullMQ ignores a job id it already has,
 * so a replay or a restart between adding and checkpointing enqueues nothing twice; and the
 * worker is idempotent on top of that (its encoding id derives from the same id).
 */

export const dispatcherCheckpoint = 'encode-dispatcher';

export const runDispatcher = async (options: {
  eventStore: EventStore;
  viewStore: ViewStore;
  queue: Queue<EncodeJob>;
  /** Where to announce cancellations to the workers. */
  redisUrl: string;
  settings: EncodeQueueSettings;
  logger?: Logger;
  signal?: AbortSignal;
  /** Called after each event is dealt with and checkpointed (for tests and logs). */
  onDispatched?: (position: number) => void;
}) => {
  const { eventStore, viewStore, queue, settings, signal } = options;
  const from = (await viewStore.readCheckpoint(dispatcherCheckpoint))?.position ?? 0;
  const subscription = eventStore.subscribe({ from, filter: { eventTypes: ['SourceUploaded', 'TitleUnpublished'] } });
  const stop = () => void subscription.close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const recorded of subscription) {
      const event = readDomainEvent(recorded);
      if (event.type === 'TitleUnpublished') {
        // Withdrawn while encoding a new version: that encoding stops.
        await cancelTitleEncodings(queue, options.redisUrl, event.data.titleId);
        await viewStore.writeBatch([], { id: dispatcherCheckpoint, position: recorded.position, version: 1 });
        options.onDispatched?.(recorded.position);
        continue;
      }
      if (event.type !== 'SourceUploaded') continue;
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
      await viewStore.writeBatch([], { id: dispatcherCheckpoint, position: recorded.position, version: 1 });
      options.logger?.info({ titleId, uploadId, jobId: recorded.id }, 'encode job queued');
      options.onDispatched?.(recorded.position);
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    await subscription.close();
  }
};
