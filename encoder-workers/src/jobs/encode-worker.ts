import { EncodingAlreadyFinished, type TitleState } from '@marquee/domain';
import {
  type AggregateCache,
  type EncodeJob,
  type EncodeSourceJob,
  type EventStore,
  encodeQueueName,
  isReviseJob,
  type Logger,
  type ReviseJob,
  redisConnection,
} from '@marquee/platform';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { encodePackage } from '../encoding/encode-package';
import type { Rung } from '../encoding/ladder';
import { cancelChannel } from './encode-queue';
import { failEncodingJob, jobFailureReason, recordEncodingFailure } from './record-encoding-failure';
import { recordEncodingSuccess, titleCommands } from './record-encoding-success';
import { removeLeftovers } from './remove-leftovers';
import { defaultWaitForRevisionMs, processReviseJob } from './revise-job';

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
  /** How long a revision waits before looking again while another revision of its title runs. */
  waitForRevisionMs?: number;
};

/**
 * One encode job: record that encoding started (idempotent, so a retried or recovered job records
 * it once), encode the package with the title's audio tracks and captions as they are then,
 * record the result. A track added after this read is missing from the package: its
 * EncodingSucceeded says so (`tracks`), and the dispatcher asks for a revision.
 */
export const processEncodeJob = async (
  job: Job<EncodeSourceJob>,
  deps: { eventStore: EventStore; originDir: string; rungs?: readonly Rung[]; cache?: AggregateCache; logger?: Logger },
  signal?: AbortSignal,
) => {
  const { titleId, uploadId, sourcePath } = job.data;
  const encodingId = job.id as string;
  const record = titleCommands(deps, titleId);
  let state: TitleState;
  try {
    ({ state } = await record({ type: 'RecordEncodingStarted', encodingId, uploadId, at: new Date().toISOString() }));
  } catch (error) {
    // This encoding already ended (a job run again after it finished): nothing left to do.
    if (error instanceof EncodingAlreadyFinished) return { encodingId, skipped: true };
    throw error;
  }
  if (state.status !== 'created') throw new Error(`the title ${titleId} is not there`);
  try {
    await removeLeftovers(deps.originDir, encodingId);
    const audioLanguages = state.uploads.find((upload) => upload.uploadId === uploadId)?.audioLanguages;
    // The source is probed again: the file on disk is what counts, not what it was at upload.
    const encoded = await encodePackage({
      sourcePath,
      originDir: deps.originDir,
      titleId,
      encodingId,
      ...(audioLanguages && { audioLanguages }),
      audioTracks: state.audioTracks,
      captions: state.captions,
      ...(deps.rungs && { rungs: deps.rungs }),
      ...(signal && { signal }),
      onProgress: (progress) => void job.updateProgress(progress),
    });
    await recordEncodingSuccess(record, encodingId, encoded);
    deps.logger?.info({ titleId, encodingId, encodeSeconds: encoded.encodeSeconds }, 'encoding succeeded');
    return { encodingId, manifestPath: encoded.manifestPath };
  } catch (error) {
    return failEncodingJob(job, error, { titleId, encodingId, uploadId }, deps);
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
    async (job, token, signal) => {
      if (isReviseJob(job.data))
        return processReviseJob(
          job as Job<ReviseJob>,
          {
            ...deps,
            originDir: settings.originDir,
            waitForRevisionMs: settings.waitForRevisionMs ?? defaultWaitForRevisionMs,
          },
          token,
          signal,
        );
      // Only encodes are cancelled when their title is unpublished; a revision encodes no video.
      running.set(job.id as string, job.data.titleId);
      try {
        return await processEncodeJob(
          job as Job<EncodeSourceJob>,
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
      {
        titleId,
        encodingId,
        ...(uploadId && { uploadId }),
        reason: jobFailureReason(error.message),
        at: new Date().toISOString(),
      },
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
