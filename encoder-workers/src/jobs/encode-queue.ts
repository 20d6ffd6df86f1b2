import { type EncodeJob, encodeQueueName } from '@marquee/platform';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';

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

/**
 * Stops every encoding of a title: waiting jobs are removed, and running ones are aborted by
 * their workers, wherever they run, through the cancel channel.
 */
export const cancelTitleEncodings = async (queue: Queue<EncodeJob>, redisUrl: string, titleId: string) => {
  for (const job of await queue.getJobs(['waiting', 'delayed', 'prioritized', 'waiting-children']))
    if (job.data.titleId === titleId) await job.remove();
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: null });
  try {
    await publisher.publish(cancelChannel(queue.opts.prefix ?? 'bull'), titleId);
  } finally {
    await publisher.quit();
  }
};
