import { encodingLacksTracks, latestEncoding, streamName, titleDecider } from '@marquee/domain';
import {
  aggregateStream,
  type CheckpointStore,
  checkpointIn,
  createProcessor,
  type EncodeJob,
  type EventStore,
  type Logger,
  readDomainEvent,
  runProcessor,
} from '@marquee/platform';
import type { Queue } from 'bullmq';
import { cancelEncodings, type EncodeQueueSettings, queueJob } from './encode-queue';
import {
  evolvePendingEncodings,
  type PendingEncoding,
  type PendingEncodings,
  type PendingRevision,
  pendingEncodingEvents,
  pendingEncodingsInLog,
  pendingEncodingsOf,
  withJob,
  withoutJobs,
} from './pending-encodings';
import { type ReconcileOutcome, reconcileEncodings } from './reconcile-encodings';

/*
 * Reacts without a dual write: a processor that follows the log from its checkpoint and adds one
 * job per event that asks for one, whose id is the event's id: an encode per SourceUploaded; a
 * revision per AudioTrackAdded or CaptionsAdded, and per EncodingSucceeded whose title's latest
 * encoding lacks tracks the title has (one added while it was encoding). BullMQ ignores a job id
 * it already has, so a replay or a restart between adding and checkpointing enqueues nothing
 * twice; and the worker is idempotent on top of that (its encoding id is the same id).
 *
 * Beside its position, the checkpoint keeps the jobs whose encoding has not ended. Once caught
 * up, and then every `reconcileIntervalMs`, the dispatcher looks at each one's job: one Redis
 * lost is queued again, one BullMQ failed unrecorded is recorded as failed, and a revision whose
 * job completed without anything to revise is let go.
 */

export const dispatcherCheckpoint = 'encode-dispatcher';

export const defaultReconcileIntervalMs = 60_000;

/** Follows the log until the signal stops it; rejects (after logging) if dispatching fails. */
export const runDispatcher = async (options: {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  queue: Queue<EncodeJob>;
  /** Where to announce cancellations to the workers. */
  redisUrl: string;
  settings: EncodeQueueSettings;
  /** How often the queue is checked against the pending encodings, after the check on start. */
  reconcileIntervalMs?: number;
  logger?: Logger;
  signal?: AbortSignal;
  now?: () => Date;
  /** Called after each event is dealt with; its checkpoint is saved before the next (for tests and logs). */
  onDispatched?: (position: number) => void;
  onReconciled?: (outcome: ReconcileOutcome) => void;
}): Promise<void> => {
  const { eventStore, queue, settings, signal, logger } = options;
  const now = options.now ?? (() => new Date());
  const saved = await options.checkpoints.load(dispatcherCheckpoint);
  let pending: PendingEncodings = saved?.state
    ? pendingEncodingsOf(saved.state)
    : saved
      ? await pendingEncodingsInLog(eventStore, saved.position)
      : new Map();

  let timer: ReturnType<typeof setInterval> | undefined;
  const processor = createProcessor({
    name: 'encode-dispatcher',
    eventStore,
    checkpoint: checkpointIn(options.checkpoints, dispatcherCheckpoint),
    filter: { eventTypes: [...pendingEncodingEvents, 'TitleUnpublished'] },
    state: () => ({ pending: [...pending.values()] }),
    now,
    ...(logger && { logger }),
    handle: async (recorded) => {
      const event = readDomainEvent(recorded);
      pending = evolvePendingEncodings(pending, recorded);
      if (event.type === 'TitleUnpublished') {
        // Withdrawn while encoding a new version: that encoding stops.
        const { titleId } = event.data;
        const encodings = [...pending.values()].filter(
          (job): job is PendingEncoding => job.kind === 'encode' && job.titleId === titleId,
        );
        await cancelEncodings({ queue, redisUrl: options.redisUrl, eventStore, titleId, encodings, at: event.data.at });
      } else if (event.type === 'EncodingSucceeded') {
        // Looked at as the title is now: on a replay, a revision made since leaves nothing lacking.
        const { titleId } = event.data;
        const { state } = await aggregateStream(eventStore, streamName('title', titleId), titleDecider);
        const latest = latestEncoding(state);
        if (latest && encodingLacksTracks(state, latest)) {
          const revision: PendingRevision = { kind: 'revise', jobId: recorded.id, titleId };
          pending = withJob(pending, revision);
          await queueJob(queue, revision, settings);
          logger?.info({ titleId, jobId: recorded.id, revisionOf: latest.encodingId }, 'revise job queued');
        }
      } else {
        const job = pending.get(recorded.id);
        if (job) {
          await queueJob(queue, job, settings);
          logger?.info({ titleId: job.titleId, jobId: recorded.id, kind: job.kind }, `${job.kind} job queued`);
        }
      }
      options.onDispatched?.(recorded.position);
    },
    // Looking before catching up would see encodings whose end is still ahead in the log.
    onCaughtUp: () => {
      void reconcile();
      timer = setInterval(() => void reconcile(), options.reconcileIntervalMs ?? defaultReconcileIntervalMs);
    },
  });

  // One look at a time; a look that fails (Redis or the store down) is logged once, and the next one tries again.
  let looking: Promise<void> | undefined;
  let failing = false;
  // While Redis is away its commands wait for it (a look does not fail, it waits): its errors say so, once.
  const onRedisError = (error: Error) => {
    if (!failing) logger?.error({ error: error.message }, 'Redis does not answer: encode jobs wait until it does');
    failing = true;
  };
  queue.on('error', onRedisError);
  const reconcile = () => {
    looking ??= reconcileEncodings({
      queue,
      eventStore,
      pending: [...pending.values()],
      settings,
      now,
      ...(logger && { logger }),
    })
      .then((outcome) => {
        if (failing) logger?.info('encode jobs are queued and reconciled again');
        failing = false;
        pending = withoutJobs(pending, outcome.finished);
        options.onReconciled?.(outcome);
      })
      .catch((error: unknown) => {
        if (!failing)
          logger?.error(
            { error: error instanceof Error ? error.message : String(error) },
            'reconciling encode jobs failed; trying again later',
          );
        failing = true;
      })
      .finally(() => {
        looking = undefined;
      });
    return looking;
  };

  try {
    await runProcessor(processor, signal);
  } finally {
    clearInterval(timer);
    queue.off('error', onRedisError);
    await looking;
  }
};
