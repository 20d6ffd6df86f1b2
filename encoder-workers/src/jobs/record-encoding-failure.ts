import { EncodingAlreadyFinished, EncodingNotFound, streamName, titleDecider } from '@marquee/domain';
import { type AggregateCache, type EncodeJob, type EventStore, handleCommand, type Logger } from '@marquee/platform';
import { type Job, UnrecoverableError } from 'bullmq';
import { EncodingError } from '../encoding/encode-package';

/*
 * The one way an encoding's failure is recorded, whoever saw it: the worker that ran the job,
 * the worker BullMQ failed a job through without running it, the dispatcher's reconciler, or a
 * cancellation. Recording twice appends nothing: the decider says so, and the event ids derive
 * from the encoding, so an append retried after a lost answer is not written twice either.
 */

export type EncodingFailure = {
  titleId: string;
  encodingId: string;
  /**
   * The encoding's source: one that failed before its start was recorded is recorded as started
   * and failed. Unknown for a revision that had not started: then there is nothing to record.
   */
  uploadId?: string;
  /** For the content team. */
  reason: string;
  at: string;
};

/**
 * Records the failure; an encoding that already succeeded stays succeeded, and nothing is
 * appended. False when there is no failed encoding to show for it (succeeded, or never started).
 */
export const recordEncodingFailure = async (
  eventStore: EventStore,
  failure: EncodingFailure,
  cache?: AggregateCache,
): Promise<boolean> => {
  const { titleId, ...command } = failure;
  try {
    await handleCommand(
      eventStore,
      streamName('title', titleId),
      titleDecider,
      { type: 'RecordEncodingFailed', ...command },
      { retries: 3, idempotencyKey: `encoding-failed:${failure.encodingId}`, ...(cache && { cache }) },
    );
    return true;
  } catch (error) {
    if (error instanceof EncodingAlreadyFinished) return false;
    // A revision that failed before it started (it died loading the title): nothing was half recorded.
    if (error instanceof EncodingNotFound && failure.uploadId === undefined) return false;
    throw error;
  }
};

// BullMQ's own reason for a job it failed because the workers running it kept dying or stalling.
const stalledTooOften = 'job stalled more than allowable limit';

/** Why BullMQ failed a job, for the content team. */
export const jobFailureReason = (failedReason: string | undefined): string =>
  failedReason === stalledTooOften
    ? 'the encode workers running it stopped (killed or stalled) more often than the stall limit allows'
    : failedReason || 'the encode job failed';

/** No retry can change an unusable source or a cancelled encoding. */
const isPermanent = (error: unknown) => error instanceof EncodingError && error.kind !== 'encoder-failed';

/**
 * What a job does with its encoding's failure: records it as EncodingFailed with its reason
 * when no attempt is left, or at once when retrying cannot help, and then fails for good;
 * otherwise gives the error back for BullMQ to retry the job.
 */
export const failEncodingJob = async (
  job: Job<EncodeJob>,
  error: unknown,
  failure: Omit<EncodingFailure, 'reason' | 'at'>,
  deps: { eventStore: EventStore; cache?: AggregateCache; logger?: Logger },
): Promise<never> => {
  const { titleId, encodingId } = failure;
  const reason = error instanceof EncodingError ? error.reason : `the encoder failed: ${(error as Error).message}`;
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!isPermanent(error) && !lastAttempt) {
    deps.logger?.warn({ titleId, encodingId, reason, attempt: job.attemptsMade + 1 }, 'encoding failed; retrying');
    throw error;
  }
  try {
    await recordEncodingFailure(deps.eventStore, { ...failure, reason, at: new Date().toISOString() }, deps.cache);
  } catch (recordError) {
    // The failure stands even unrecorded (the dispatcher's reconciler records it later): encoding again would fail again.
    deps.logger?.error({ titleId, encodingId, reason, recordError }, 'could not record the failed encoding');
  }
  deps.logger?.warn({ titleId, encodingId, reason }, 'encoding failed');
  throw new UnrecoverableError(reason);
};
