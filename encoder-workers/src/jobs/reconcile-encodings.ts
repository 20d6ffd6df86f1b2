import type { EncodeJob, EventStore, Logger } from '@marquee/platform';
import type { Queue } from 'bullmq';
import { type EncodeQueueSettings, queueEncode } from './encode-queue';
import type { PendingEncoding } from './pending-encodings';
import { jobFailureReason, recordEncodingFailure } from './record-encoding-failure';

/*
 * Makes the queue agree with the log: every upload whose encoding has not ended either has a
 * job that is waiting, running or retrying, or it gets one; and a job BullMQ failed without its
 * worker recording why (the workers kept dying, or died recording it) gets its EncodingFailed.
 * Both steps can run any number of times: the job id is the upload's, and the failure is
 * recorded once.
 */

export type ReconcileOutcome = {
  /** Jobs Redis had lost, queued again. */
  requeued: string[];
  /** Jobs BullMQ had failed, now recorded as failed. */
  recordedFailed: string[];
};

export const reconcileEncodings = async (options: {
  queue: Queue<EncodeJob>;
  eventStore: EventStore;
  pending: readonly PendingEncoding[];
  settings: EncodeQueueSettings;
  now: () => Date;
  logger?: Logger;
}): Promise<ReconcileOutcome> => {
  const { queue, logger } = options;
  const outcome: ReconcileOutcome = { requeued: [], recordedFailed: [] };
  for (const encoding of options.pending) {
    const { jobId, titleId, uploadId } = encoding;
    const job = await queue.getJob(jobId);
    if (!job) {
      await queueEncode(queue, encoding, options.settings);
      outcome.requeued.push(jobId);
      logger?.warn({ titleId, uploadId, jobId }, 'encode job missing from the queue: queued again');
    } else if ((await job.getState()) === 'failed') {
      const reason = jobFailureReason(job.failedReason);
      await recordEncodingFailure(options.eventStore, {
        titleId,
        encodingId: jobId,
        uploadId,
        reason,
        at: options.now().toISOString(),
      });
      outcome.recordedFailed.push(jobId);
      logger?.warn({ titleId, encodingId: jobId, reason }, 'encode job failed in the queue: recorded as failed');
    }
    // Waiting, running, retrying: under way. Completed: its worker recorded the result, on its way to us.
  }
  return outcome;
};
