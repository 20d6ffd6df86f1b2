import type { SourceProbe } from '@marquee/domain';
import { type ConnectionOptions, Queue } from 'bullmq';

/*
 * The job queue port: the encoding farm's queue, BullMQ on Redis. Its name and job shape live
 * here because more than the farm use it: the dispatcher adds jobs, workers take them, and the
 * query API reads where each one is (encoding-status.ts).
 */

/**
 * One source to encode. The job's id is the SourceUploaded event's id, so it is added once.
 * `kind` is absent from jobs queued before revisions existed: those are encodes too.
 */
export type EncodeSourceJob = {
  kind?: 'encode';
  titleId: string;
  uploadId: string;
  sourcePath: string;
  probe: SourceProbe;
};

/**
 * A revision of the title's latest encoding: its video, with the title's audio tracks and
 * captions as they are when the job runs. The job's id is the event that asked for it
 * (AudioTrackAdded, CaptionsAdded, or an EncodingSucceeded lacking tracks the title has), and is
 * the revision's encoding id. `uploadId` and `revisionOf` are filled in once it has started.
 */
export type ReviseJob = { kind: 'revise'; titleId: string; uploadId?: string; revisionOf?: string };

export type EncodeJob = EncodeSourceJob | ReviseJob;

export const isReviseJob = (job: EncodeJob): job is ReviseJob => job.kind === 'revise';

export const encodeQueueName = 'marquee-encode';

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
