import { type EncodeJob, type EventStore, encodeQueueName } from '@marquee/platform';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { PendingEncoding, PendingJob } from './pending-encodings';
import { recordEncodingFailure } from './record-encoding-failure';

// The queue's name, job shape and connection are the platform's (job queue port); how the farm runs jobs is here.

export type EncodeQueueSettings = {
  /** How many times a job runs before its failure is final. */
  attempts: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs: number;
};

export const defaultEncodeQueueSettings: EncodeQueueSettings = { attempts: 3, backoffMs: 5_000 };

/** Where workers hear which titles' encodings to stop. */
export const cancelChannel = (prefix: string) => `${prefix}:${encodeQueueName}:cancel`;

// Finished jobs are kept a week, long past any replay that could re-add them.
const jobOptions = (jobId: string, settings: EncodeQueueSettings) => ({
  jobId,
  attempts: settings.attempts,
  backoff: { type: 'exponential', delay: settings.backoffMs },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
});

/**
 * Queues a pending job: an upload's encoding or a revision. The job id is the id of the event
 * that asked for it: BullMQ ignores a job id it already holds, so queueing again (a replay, a
 * reconcile) never makes a second job.
 */
export const queueJob = async (queue: Queue<EncodeJob>, pending: PendingJob, settings: EncodeQueueSettings) => {
  if (pending.kind === 'revise') {
    await queue.add('revise', { kind: 'revise', titleId: pending.titleId }, jobOptions(pending.jobId, settings));
    return;
  }
  const { jobId, titleId, uploadId, sourcePath, probe } = pending;
  await queue.add('encode', { kind: 'encode', titleId, uploadId, sourcePath, probe }, jobOptions(jobId, settings));
};

// A job in one of these has not been taken by a worker (or Redis lost it): cancelling it is ours to record.
const notRunning = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown']);

/**
 * Stops a title's pending encodings of sources (a revision is left to finish: it encodes no
 * video, and what it makes is the title's package once published again). One not running is recorded as cancelled first, then its
 * job removed: a worker that takes it in between finds the encoding ended and skips it, and the
 * reconciler never queues it again. Running ones are aborted by their workers, wherever they
 * run, through the cancel channel; those workers record why.
 */
export const cancelEncodings = async (options: {
  queue: Queue<EncodeJob>;
  redisUrl: string;
  eventStore: EventStore;
  titleId: string;
  encodings: readonly PendingEncoding[];
  at: string;
}) => {
  const { queue, titleId } = options;
  for (const encoding of options.encodings) {
    const job = await queue.getJob(encoding.jobId);
    if (!notRunning.has(job ? await job.getState() : 'unknown')) continue;
    await recordEncodingFailure(options.eventStore, {
      titleId,
      encodingId: encoding.jobId,
      uploadId: encoding.uploadId,
      reason: 'cancelled: the title was unpublished before this source was encoded',
      at: options.at,
    });
    // Taken by a worker meanwhile (it is locked): that worker skips an encoding that has ended.
    await job?.remove().catch(() => {});
  }
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  try {
    await publisher.publish(cancelChannel(queue.opts.prefix ?? 'bull'), titleId);
  } finally {
    await publisher.quit();
  }
};
