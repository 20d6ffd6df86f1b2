import type { EncodeJob, EventStore, Logger } from '@marquee/platform';
import type { Queue } from 'bullmq';
import { type EncodeQueueSettings, queueJob } from './encode-queue';
import type { PendingJob } from './pending-encodings';
import { jobFailureReason, recordEncodingFailure } from './record-encoding-failure';

/*
 * Makes the queue agree with the log: every job whose encoding has not ended either is waiting,
 * running or retrying, or it is queued again; and a job BullMQ failed without its worker
 * recording why (the workers kept dying, or died recording it) gets its EncodingFailed. Both
 * steps can run any number of times: the job id is the event's, and the failure is recorded once.
 * A revision queued again finds its encoding as it was left: started (it goes on with it, so no
 * encoding stays half recorded) or not (it looks at the title afresh).
 */

export type ReconcileOutcome = {
  /** Jobs Redis had lost, queued again. */
  requeued: string[];
  /** Jobs BullMQ had failed, now recorded as failed. */
  recordedFailed: string[];
  /**
   * Jobs the dispatcher no longer needs to follow: completed ones (whose result, if any, is
   * recorded), and failed ones now recorded. A revision that found nothing to revise ends so.
   */
  finished: string[];
};

export const reconcileEncodings = async (options: {
  queue: Queue<EncodeJob>;
  eventStore: EventStore;
  pending: readonly PendingJob[];
  settings: EncodeQueueSettings;
  now: () => Date;
  logger?: Logger;
}): Promise<ReconcileOutcome> => {
  const { queue, logger } = options;
  const outcome: ReconcileOutcome = { requeued: [], recordedFailed: [], finished: [] };
  for (const pending of options.pending) {
    const { jobId, titleId } = pending;
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'missing') {
      await queueJob(queue, pending, options.settings);
      outcome.requeued.push(jobId);
      logger?.warn({ titleId, jobId, kind: pending.kind }, 'encode job missing from the queue: queued again');
    } else if (state === 'failed') {
      const reason = jobFailureReason(job?.failedReason);
      // A revision's source is the one its job recorded when it started; one that had not started records nothing.
      const uploadId = pending.kind === 'encode' ? pending.uploadId : job?.data.uploadId;
      const recorded = await recordEncodingFailure(options.eventStore, {
        titleId,
        encodingId: jobId,
        ...(uploadId && { uploadId }),
        reason,
        at: options.now().toISOString(),
      });
      if (recorded) {
        outcome.recordedFailed.push(jobId);
        logger?.warn({ titleId, encodingId: jobId, reason }, 'encode job failed in the queue: recorded as failed');
      } else logger?.warn({ titleId, jobId, reason }, 'revise job failed in the queue before it started');
      outcome.finished.push(jobId);
    } else if (state === 'completed') {
      outcome.finished.push(jobId);
    }
    // Waiting, running, retrying: under way.
  }
  return outcome;
};
