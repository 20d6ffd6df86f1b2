import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EncodingAlreadyFinished, streamName, titleDecider } from '@marquee/domain';
import {
  type AggregateCache,
  type EncodeJob,
  type EventStore,
  encodeQueueName,
  handleCommand,
  type Logger,
  redisConnection,
} from '@marquee/platform';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { EncodingError, encodePackage, partialFolderName } from '../encoding/encode-package';
import type { Rung } from '../encoding/ladder';
import { cancelChannel } from './encode-queue';
import { jobFailureReason, recordEncodingFailure } from './record-encoding-failure';

export type EncodeWorkerSettings = {
  redisUrl: string;
  originDir: string;
  rungs?: readonly Rung[];
  /** Jobs encoded at once by this worker (each ffmpeg uses every core it can get). */
  concurrency: number;
  /** How long a job stays locked without a renewal; a worker killed mid-encode loses it after this. */
  lockDurationMs: number;
  /** How often workers look for jobs whose lock expired (a worker that died) and take them back. */
  stalledIntervalMs: number;
  prefix?: string;
};

/**
 * What an earlier run of this same job left half written (its worker died mid-encode). The job's
 * lock says no other live worker encodes it, so its partial folders can go.
 */
const removeLeftovers = async (originDir: string, encodingId: string) => {
  const partial = join(originDir, partialFolderName);
  const names = await readdir(partial).catch(() => [] as string[]);
  for (const name of names)
    if (name.startsWith(`${encodingId}-`)) await rm(join(partial, name), { recursive: true, force: true });
};

/** No retry can change an unusable source or a cancelled encoding. */
const isPermanent = (error: EncodingError) => error.kind !== 'encoder-failed';

/**
 * One job: record that encoding started (idempotent, so a retried or recovered job records it
 * once), encode the package, record the result. A failure is recorded as EncodingFailed with
 * its reason when no attempt is left, or at once when retrying cannot help.
 */
export const processEncodeJob = async (
  job: Job<EncodeJob>,
  deps: { eventStore: EventStore; originDir: string; rungs?: readonly Rung[]; cache?: AggregateCache; logger?: Logger },
  signal?: AbortSignal,
) => {
  const { titleId, uploadId, sourcePath } = job.data;
  const encodingId = job.id as string;
  const title = streamName('title', titleId);
  const record = (command: Parameters<typeof titleDecider.decide>[0]) =>
    handleCommand(deps.eventStore, title, titleDecider, command, {
      retries: 3,
      ...(deps.cache && { cache: deps.cache }),
    });
  try {
    await record({ type: 'RecordEncodingStarted', encodingId, uploadId, at: new Date().toISOString() });
  } catch (error) {
    // This encoding already ended (a job run again after it finished): nothing left to do.
    if (error instanceof EncodingAlreadyFinished) return { encodingId, skipped: true };
    throw error;
  }
  try {
    await removeLeftovers(deps.originDir, encodingId);
    // The source is probed again: the file on disk is what counts, not what it was at upload.
    const encoded = await encodePackage({
      sourcePath,
      originDir: deps.originDir,
      titleId,
      encodingId,
      ...(deps.rungs && { rungs: deps.rungs }),
      ...(signal && { signal }),
      onProgress: (progress) => void job.updateProgress(progress),
    });
    await record({
      type: 'RecordEncodingSucceeded',
      encodingId,
      ladder: encoded.ladder,
      manifestPath: encoded.manifestPath,
      packageIndex: encoded.packageIndex,
      durationSeconds: encoded.durationSeconds,
      encodeSeconds: encoded.encodeSeconds,
      at: new Date().toISOString(),
    });
    deps.logger?.info({ titleId, encodingId, encodeSeconds: encoded.encodeSeconds }, 'encoding succeeded');
    return { encodingId, manifestPath: encoded.manifestPath };
  } catch (error) {
    const reason = error instanceof EncodingError ? error.reason : `the encoder failed: ${(error as Error).message}`;
    const permanent = error instanceof EncodingError && isPermanent(error);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (permanent || lastAttempt) {
      try {
        await recordEncodingFailure(
          deps.eventStore,
          { titleId, encodingId, uploadId, reason, at: new Date().toISOString() },
          deps.cache,
        );
      } catch (recordError) {
        // The failure stands even unrecorded (the dispatcher's reconciler records it later): encoding again would fail again.
        deps.logger?.error({ titleId, encodingId, reason, recordError }, 'could not record the failed encoding');
      }
      deps.logger?.warn({ titleId, encodingId, reason }, 'encoding failed');
      throw new UnrecoverableError(reason);
    }
    deps.logger?.warn({ titleId, encodingId, reason, attempt: job.attemptsMade + 1 }, 'encoding failed; retrying');
    throw error;
  }
};

/**
 * A worker, and its part in cancelling: it listens on Redis for titles whose encoding must stop
 * (unpublished while encoding) and aborts its own running jobs of those titles; the ffmpeg
 * process is killed, nothing is left in the origin, and EncodingFailed says it was cancelled.
 */
export const startEncodeWorker = (
  settings: EncodeWorkerSettings,
  deps: { eventStore: EventStore; cache?: AggregateCache; logger?: Logger },
) => {
  const running = new Map<string, string>();
  const worker = new Worker<EncodeJob>(
    encodeQueueName,
    async (job, _token, signal) => {
      running.set(job.id as string, job.data.titleId);
      try {
        return await processEncodeJob(
          job,
          { ...deps, originDir: settings.originDir, ...(settings.rungs && { rungs: settings.rungs }) },
          signal,
        );
      } finally {
        running.delete(job.id as string);
      }
    },
    {
      connection: redisConnection(settings.redisUrl),
      prefix: settings.prefix ?? 'bull',
      concurrency: settings.concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stalledIntervalMs,
      // A job given back twice after its worker died is likely the cause: the third time, BullMQ fails it.
      maxStalledCount: 2,
    },
  );
  // BullMQ fails some jobs without running them (one whose workers kept dying), so nothing above
  // records those; every final failure is recorded here too, which appends nothing when it was.
  worker.on('failed', (job, error) => {
    if (!job?.finishedOn) return; // retried later
    const { titleId, uploadId } = job.data;
    const encodingId = job.id as string;
    recordEncodingFailure(
      deps.eventStore,
      { titleId, encodingId, uploadId, reason: jobFailureReason(error.message), at: new Date().toISOString() },
      deps.cache,
    ).catch((recordError: unknown) =>
      // The dispatcher's reconciler records it once the store answers again.
      deps.logger?.error({ titleId, encodingId, recordError }, 'could not record the failed encoding'),
    );
  });
  const cancellations = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  void cancellations.subscribe(cancelChannel(settings.prefix ?? 'bull'));
  cancellations.on('message', (_channel, titleId: string) => {
    for (const [jobId, jobTitle] of running)
      if (jobTitle === titleId) worker.cancelJob(jobId, 'the title was unpublished while it was encoding');
  });
  worker.on('closed', () => void cancellations.quit());
  return worker;
};
