import type { SourceProbe } from '@marquee/domain';
import { type ConnectionOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** One source to encode. The job's id is the SourceUploaded event's id, so it is added once. */
export type EncodeJob = { titleId: string; uploadId: string; sourcePath: string; probe: SourceProbe };

export const encodeQueueName = 'marquee-encode';

export type EncodeQueueSettings = {
  /** How many times a job runs before its failure is final. */
  attempts: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs: number;
};

export const defaultEncodeQueueSettings: EncodeQueueSettings = { attempts: 3, backoffMs: 5_000 };

/** BullMQ wants its own connection options per queue and worker: a Redis URL becomes them. */
export const redisConnection = (redisUrl: string): ConnectionOptions => {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    ...(url.password && { password: decodeURIComponent(url.password) }),
    ...(url.pathname.length > 1 && { db: Number(url.pathname.slice(1)) }),
    // A worker blocks on Redis waiting for jobs; BullMQ requires this to be null.
    maxRetriesPerRequest: null,
  };
};

export const openEncodeQueue = (redisUrl: string, prefix = 'bull') =>
  new Queue<EncodeJob>(encodeQueueName, { connection: redisConnection(redisUrl), prefix });

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
