import { EncodingAlreadyFinished, streamName, titleDecider } from '@marquee/domain';
import { type AggregateCache, type EventStore, handleCommand } from '@marquee/platform';

/*
 * The one way an encoding's failure is recorded, whoever saw it: the worker that ran the job,
 * the worker BullMQ failed a job through without running it, the dispatcher's reconciler, or a
 * cancellation. Recording twice appends nothing: the decider says so, and the event ids derive
 * from the encoding, so an append retried after a lost answer is not written twice either.
 */

export type EncodingFailure = {
  titleId: string;
  encodingId: string;
  /** The encoding's source: one that failed before its start was recorded is recorded as started and failed. */
  uploadId: string;
  /** For the content team. */
  reason: string;
  at: string;
};

/** Records the failure; an encoding that already succeeded stays succeeded, and nothing is appended. */
export const recordEncodingFailure = async (
  eventStore: EventStore,
  failure: EncodingFailure,
  cache?: AggregateCache,
): Promise<void> => {
  const { titleId, ...command } = failure;
  try {
    await handleCommand(
      eventStore,
      streamName('title', titleId),
      titleDecider,
      { type: 'RecordEncodingFailed', ...command },
      { retries: 3, idempotencyKey: `encoding-failed:${failure.encodingId}`, ...(cache && { cache }) },
    );
  } catch (error) {
    if (!(error instanceof EncodingAlreadyFinished)) throw error;
  }
};

// BullMQ's own reason for a job it failed because the workers running it kept dying or stalling.
const stalledTooOften = 'job stalled more than allowable limit';

/** Why BullMQ failed a job, for the content team. */
export const jobFailureReason = (failedReason: string | undefined): string =>
  failedReason === stalledTooOften
    ? 'the encode workers running it stopped (killed or stalled) more often than the stall limit allows'
    : failedReason || 'the encode job failed';
