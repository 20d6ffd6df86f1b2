import type { Queue } from 'bullmq';
import type { EncodingProgress } from '../encoding/encoding-progress';
import type { EncodeJob } from './encode-queue';

/** A title's encodings as the content team follows them: where each job is, how far along. */
export type EncodingJobStatus = {
  /** The job's id, which is also the encoding's id. */
  encodingId: string;
  uploadId: string;
  state: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';
  /** For a waiting job: 1 when it is next. */
  queuePosition: number | null;
  progress: EncodingProgress | null;
  attempts: number;
  failedReason: string | null;
  queuedAt: string;
};

// The finished jobs looked through: the newest are what a content team asks about.
const recentFinished = 200;

export const encodingStatus = async (queue: Queue<EncodeJob>, titleId: string): Promise<EncodingJobStatus[]> => {
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
      uploadId: job.data.uploadId,
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
