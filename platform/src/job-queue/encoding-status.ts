import type { Queue } from 'bullmq';
import { z } from 'zod';
import { ServiceUnavailable } from '../http/http-errors';
import { type EncodeJob, isReviseJob } from './encode-queue';

/** How far a running encode is, as its worker reports it on the job. */
export const encodingProgress = z.object({
  percent: z.number().describe("0 to 100, of the source's duration."),
  fps: z.number().describe('Source frames decoded per second of wall time.'),
  speed: z.number().describe('Source seconds encoded per second of wall time (2 means twice as fast as real time).'),
  etaSeconds: z.number().nullable().describe('null until ffmpeg has reported a speed.'),
});
export type EncodingProgress = z.infer<typeof encodingProgress>;

/** A title's encodings as the content team follows them: where each job is, how far along. */
export const encodingJobStatus = z.object({
  encodingId: z.string().describe("The job's id, which is also the encoding's id."),
  kind: z
    .enum(['encode', 'revision'])
    .describe(
      "An encode of an uploaded source, or a revision: a succeeded encoding's video with the title's audio tracks and captions as they are now.",
    ),
  uploadId: z.string().nullable().describe('The source encoded; null for a revision that has not started yet.'),
  revisionOf: z
    .string()
    .nullable()
    .describe('For a revision: the encoding it revises, once it has started (null before, and for an encode).'),
  state: z.enum(['waiting', 'active', 'delayed', 'completed', 'failed', 'unknown']),
  queuePosition: z.number().int().nullable().describe('For a waiting job: 1 when it is next.'),
  progress: encodingProgress.nullable(),
  attempts: z.number().int(),
  failedReason: z.string().nullable(),
  queuedAt: z.string(),
});
export type EncodingJobStatus = z.infer<typeof encodingJobStatus>;

// The finished jobs looked through: the newest are what a content team asks about.
const recentFinished = 200;

/** The read side's view of the encoding queue: it asks, it never adds, moves or removes a job. */
export interface EncodingStatusReader {
  /** The title's encodings in the queue, newest first; ServiceUnavailable when Redis does not answer in time. */
  ofTitle(titleId: string): Promise<EncodingJobStatus[]>;
  /** Asks Redis now; throws when it does not answer in time (for /readyz). */
  ping(): Promise<void>;
}

const encodingStatus = async (queue: Queue<EncodeJob>, titleId: string): Promise<EncodingJobStatus[]> => {
  // Jobs are taken in the order they were queued: a waiting job's position is its place in that order.
  const waiting = (await queue.getJobs(['waiting', 'prioritized'])).sort((a, b) => a.timestamp - b.timestamp);
  const jobs = [
    ...waiting,
    ...(await queue.getJobs(['active', 'delayed'])),
    ...(await queue.getJobs(['completed', 'failed'], 0, recentFinished)),
  ].filter((job) => job.data.titleId === titleId);
  const statuses: EncodingJobStatus[] = [];
  for (const job of jobs) {
    const state = await job.getState();
    const position = waiting.findIndex((w) => w.id === job.id);
    const progress =
      typeof job.progress === 'object' && job.progress !== null ? (job.progress as EncodingProgress) : null;
    statuses.push({
      encodingId: job.id as string,
      kind: isReviseJob(job.data) ? 'revision' : 'encode',
      uploadId: job.data.uploadId ?? null,
      revisionOf: isReviseJob(job.data) ? (job.data.revisionOf ?? null) : null,
      state: ['waiting', 'active', 'delayed', 'completed', 'failed'].includes(state)
        ? (state as EncodingJobStatus['state'])
        : state === 'prioritized'
          ? 'waiting'
          : 'unknown',
      queuePosition: position === -1 ? null : position + 1,
      progress,
      attempts: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      queuedAt: new Date(job.timestamp).toISOString(),
    });
  }
  return statuses.sort((a, b) => b.queuedAt.localeCompare(a.queuedAt));
};

/**
 * The answer of `call`, or ServiceUnavailable after `timeoutMs`. BullMQ's connection waits for
 * Redis as long as it takes (its workers need that), so a reader must stop waiting on its own.
 */
const withinTime = async <T>(call: Promise<T>, timeoutMs: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ServiceUnavailable(
            `The encoding queue (Redis) did not answer within ${timeoutMs} ms; try again shortly.`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
};

// A readiness probe is answered within a second, whatever Redis does.
const readinessTimeoutMs = 1000;

/** The encoding status of BullMQ's encode queue. */
export const encodingStatusOf = (
  queue: Queue<EncodeJob>,
  options: { timeoutMs?: number } = {},
): EncodingStatusReader => {
  const timeoutMs = options.timeoutMs ?? 3000;
  return {
    ofTitle: (titleId) => withinTime(encodingStatus(queue, titleId), timeoutMs),
    ping: async () => {
      // A readiness probe answers at once while the connection is down: BullMQ would queue the question.
      const client = await withinTime(queue.client, readinessTimeoutMs);
      if (client.status !== 'ready')
        throw new ServiceUnavailable(`The encoding queue (Redis) connection is ${client.status}; try again shortly.`);
      await withinTime(queue.count(), readinessTimeoutMs);
    },
  };
};
