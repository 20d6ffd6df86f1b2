import { readFile, rm } from 'node:fs/promises';
import {
  defaultParallelFills,
  defaultPopularityModel,
  type FillPolicy,
  fillsAtPublish,
  type PopularityModel,
  packageKey,
} from '@marquee/domain';
import {
  type CheckpointStore,
  checkpointIn,
  createProcessor,
  type EventStore,
  type Logger,
  readDomainEvent,
} from '@marquee/platform';
import { z } from 'zod';
import type { EdgeDisk } from './content-disk';
import type { FillWindow } from './edge-config';
import type { EdgeMetrics } from './edge-metrics';
import { openEdgeStream } from './edge-stream';
import {
  type ActiveFill,
  type CompletedFill,
  type FillContext,
  fillPackage,
  keptOnDisk,
  roomOnDisk,
} from './fill-package';
import { type PopularityFill, type PredictedTitle, startPopularityFill } from './fill-policy-popularity';
import { createFillSchedule, type FillReason, type WaitingFill } from './fill-schedule';
import {
  defaultSupersededGraceMs,
  isSuperseded,
  type PublishedEncoding,
  supersededHoldings,
} from './superseded-revisions';

/*
 * The fill agent: a processor that follows TitlePublished / TitleUnpublished from its own
 * checkpoint (on the edge's disk) and keeps the disk holding what its fill policy wants, as far
 * as capacity allows: every publish (`fill-all`), what viewers missed (`lru`), or what its region
 * is predicted to watch (`popularity`, planned from a second processor that folds the region's
 * plays; see popularity-follower.ts). The schedule decides when a fill runs, `fillPackage` runs one (the download
 * fetches it, the eviction policy picks what makes room); this file wires them to the log.
 *
 * Nothing is lost to a crash. The checkpoint holds the log position and, as its state, the
 * publishes not yet started (waiting for the fill window, or for their turn), saved together.
 * A fill that started is on the edge's stream (EdgeFillStarted without an end), so a restart
 * resumes it, downloading only the files not yet verified. Every step is idempotent in the
 * domain (starting a fill already started, completing one already complete append nothing),
 * so a step replayed after a crash writes no duplicate.
 */

export type FillStatus = {
  policy: FillPolicy;
  fillOnDemand: boolean;
  /** Under `popularity`: the titles the region is predicted to watch, most popular first. */
  predicted?: PredictedTitle[];
  windowOpen: boolean;
  fillWindow: string | null;
  rateCapMbps: number | null;
  checkpoint: number | null;
  filling: {
    titleId: string;
    encodingId: string;
    reason: FillReason;
    bytes: number;
    bytesDone: number;
    /** Of bytesDone, taken from packages of the title already held. */
    reusedBytes: number;
    startedAt: string;
  }[];
  waiting: WaitingFill[];
  recentFailures: { titleId: string; encodingId: string; reason: string; at: string }[];
  /** The last fills completed since the edge started, newest first, with what was downloaded and reused. */
  recentFills: CompletedFill[];
};

export type FillAgentOptions = {
  edgeId: string;
  eventStore: EventStore;
  disk: EdgeDisk;
  /** The upstream's base URL: the origin, or another edge. */
  upstream: string;
  contentTokenSecret: string;
  /** Files of one package downloaded at the same time. */
  concurrency: number;
  fillWindow?: FillWindow | undefined;
  rateBytesPerSecond?: number | undefined;
  /** Where the agent keeps its checkpoint: a file on the edge's own disk. */
  checkpoints: CheckpointStore;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Packages filled at the same time. */
  parallelFills?: number;
  /** What the edge holds (default `fill-all`). */
  policy?: FillPolicy;
  /** A viewer's miss fills the title (default true); under `popularity`, only if it is admitted. */
  fillOnDemand?: boolean;
  /** The region whose plays the `popularity` policy ranks by, and how it decays them. */
  popularity?: { region: string; model: PopularityModel };
  /** How often the `popularity` policy plans again when nothing changed notably (default 5 min). */
  planIntervalMs?: number;
  /** The encoding each title is published with now (the node's catalog, followed from the log's start). */
  publishedEncoding?: PublishedEncoding;
  /**
   * How long a superseded revision stays after it was last served (default 10 min): viewers who
   * started it finish it from here, and it goes once nobody has played it for this long.
   */
  supersededGraceMs?: number;
  now?: () => Date;
  /** Following the log failed for good (the process should exit; a restart resumes). */
  onFatal?: (error: unknown) => void;
};

export type FillAgent = {
  /** A viewer asked for something this edge does not hold: fill it now, whatever the window. */
  requestFill(titleId: string, encodingId: string): void;
  status(): FillStatus;
  /** Stops following the log and interrupts fills; they resume on the next start. */
  close(): Promise<void>;
};

export const fillCheckpointId = 'fill-agent';

const pendingPublish = z.object({
  titleId: z.string(),
  encodingId: z.string(),
  reason: z.enum(['published', 'demand', 'resume', 'popular']),
  queuedAt: z.string(),
});
/** What the checkpoint keeps beside the position, checked when read back. */
const fillCheckpointState = z.object({
  pending: z.array(pendingPublish),
  /** Encodings unpublished since: a viewer's miss must not fill them again. */
  withdrawn: z.array(z.string()).default([]),
});

/**
 * An edge upgraded from before the checkpoint port kept `{ position, pending, withdrawn }` in
 * `fill-checkpoint.json`: it becomes the fill agent's checkpoint once, so the edge goes on from
 * where it was instead of replaying every publish (and refilling what it had evicted).
 */
export const adoptOldFillCheckpoint = async (path: string, checkpoints: CheckpointStore) => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!(await checkpoints.load(fillCheckpointId))) {
    const old = fillCheckpointState.extend({ position: z.number().int().min(0).nullable() }).parse(JSON.parse(text));
    if (old.position !== null)
      await checkpoints.save(fillCheckpointId, old.position, { pending: old.pending, withdrawn: old.withdrawn });
  }
  await rm(path, { force: true });
  return true;
};

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const startFillAgent = async (options: FillAgentOptions): Promise<FillAgent> => {
  const { edgeId, eventStore, disk, metrics, logger } = options;
  const now = options.now ?? (() => new Date());
  const edge = openEdgeStream(eventStore, edgeId);
  const { registered, decide } = edge;
  const parallelFills = options.parallelFills ?? defaultParallelFills;
  const at = () => now().toISOString();
  const policy = options.policy ?? 'fill-all';
  const fillOnDemand = options.fillOnDemand ?? true;

  const saved = await options.checkpoints.load(fillCheckpointId);
  const { pending, withdrawn: withdrawnList } = fillCheckpointState.parse(saved?.state ?? { pending: [] });
  const schedule = createFillSchedule({
    fillWindow: options.fillWindow,
    rateBytesPerSecond: options.rateBytesPerSecond,
    now,
    pending,
  });
  const withdrawn = new Set(withdrawnList);
  const graceMs = options.supersededGraceMs ?? defaultSupersededGraceMs;
  // What this agent saw published (null: unpublished), ahead of the catalog by a poll at most.
  const seenPublished = new Map<string, string | null>();
  const publishedEncoding: PublishedEncoding = (titleId) =>
    seenPublished.has(titleId) ? (seenPublished.get(titleId) ?? undefined) : options.publishedEncoding?.(titleId);
  const superseded = () => supersededHoldings(disk.held(), publishedEncoding, now().getTime(), graceMs);
  const active = new Map<string, ActiveFill>();
  const isFilling = (item: { titleId: string; encodingId: string }) => active.has(packageKey(item));
  const failures: FillStatus['recentFailures'] = [];
  const completedFills: CompletedFill[] = [];
  let closing = false;

  const processor = createProcessor({
    name: 'fill-agent',
    eventStore,
    checkpoint: checkpointIn(options.checkpoints, fillCheckpointId),
    filter: { eventTypes: ['TitlePublished', 'TitleUnpublished'] },
    state: () => ({ pending: schedule.pendingPublishes(), withdrawn: [...withdrawn] }),
    // The checkpoint lives on the edge's disk: a full disk must not stop the edge serving.
    goOnWhenCheckpointFails: true,
    now,
    logger,
    handle: async (recorded) => {
      const event = readDomainEvent(recorded);
      if (event.type === 'TitlePublished') {
        const { titleId, encodingId } = event.data;
        seenPublished.set(titleId, encodingId);
        withdrawn.delete(packageKey({ titleId, encodingId }));
        // A revision published meanwhile: the encoding it replaces is not worth filling any more.
        for (const waiting of schedule.waiting(isFilling))
          if (waiting.reason === 'published' && waiting.titleId === titleId && waiting.encodingId !== encodingId)
            schedule.dequeue(waiting);
        // Under `lru` and `popularity` a publish alone fills nothing: demand, or the plan, does.
        if (fillsAtPublish(policy) && enqueue({ titleId, encodingId, reason: 'published' }))
          logger.info({ titleId, encodingId }, 'title published: queued for fill');
      } else if (event.type === 'TitleUnpublished') {
        seenPublished.set(event.data.titleId, null);
        await withdraw(event.data.titleId, event.data.encodingId);
      }
      pump();
    },
    onError: (error) => {
      if (closing) return;
      logger.fatal({ error: describe(error) }, 'following the log failed');
      // An edge that no longer follows the log must not go on looking healthy: a restart resumes it.
      options.onFatal?.(error);
    },
  });

  /** Saves the pending publishes now, with the position reached (a fill started, or was given up). */
  let writing = Promise.resolve();
  const persist = () => {
    writing = processor.saveCheckpoint();
    return writing;
  };
  const remember = (item: { titleId: string; encodingId: string }, reason: string) => {
    failures.unshift({ titleId: item.titleId, encodingId: item.encodingId, reason, at: at() });
    failures.length = Math.min(failures.length, 20);
  };

  // Fills claim their room one at a time, each deciding on what the one before it left.
  let claiming: Promise<unknown> = Promise.resolve();
  const claimInTurn = <T>(claim: () => Promise<T>): Promise<T> => {
    const next = claiming.then(claim, claim);
    claiming = next.catch(() => {});
    return next;
  };

  let popularity: PopularityFill | undefined;

  const context: FillContext = {
    claimInTurn,
    edge,
    disk,
    policy,
    scores: () => popularity?.scores(),
    schedule,
    active,
    inUse: () => new Set(superseded().inUse.map(packageKey)),
    upstream: options.upstream,
    contentTokenSecret: options.contentTokenSecret,
    concurrency: options.concurrency,
    metrics,
    logger,
    now,
    persist,
    remember,
    completed: (fill) => {
      completedFills.unshift(fill);
      completedFills.length = Math.min(completedFills.length, 20);
    },
  };

  const pump = () => {
    if (closing) return;
    while (active.size < parallelFills) {
      const item = schedule.next(isFilling);
      if (!item) return;
      const entry: ActiveFill = {
        titleId: item.titleId,
        encodingId: item.encodingId,
        reason: item.reason,
        controller: new AbortController(),
        startedAt: now(),
        bytes: 0,
        bytesDone: 0,
        reusedBytes: 0,
        done: Promise.resolve(),
      };
      active.set(packageKey(item), entry);
      entry.done = fillPackage(context, item, entry)
        .catch((error) => logger.error({ error: describe(error), item: packageKey(item) }, 'fill bookkeeping failed'))
        .finally(() => {
          active.delete(packageKey(item));
          pump();
        });
    }
  };

  const enqueue = (item: { titleId: string; encodingId: string; reason: FillReason }, first = false) => {
    // A resumed fill may find its package already moved into place (killed before reporting it):
    // it still runs, to append EdgeFillCompleted.
    if (item.reason !== 'resume' && disk.holds(item.titleId, item.encodingId)) return false;
    if (isFilling(item)) return false;
    return schedule.enqueue(item, first);
  };

  const withdraw = async (titleId: string, encodingId: string) => {
    withdrawn.add(packageKey({ titleId, encodingId }));
    schedule.dequeue({ titleId, encodingId });
    const running = active.get(packageKey({ titleId, encodingId }));
    if (running) {
      running.stoppedFor = 'unpublished';
      running.controller.abort();
      await running.done;
    }
    const state = await registered();
    // The revisions it superseded go with it, first: each frees what it alone holds, the files it
    // shares staying with the published one until that goes too.
    for (const older of state.held)
      if (older.titleId === titleId && older.encodingId !== encodingId) {
        const kept = await keptOnDisk(context, older);
        await disk.remove(titleId, older.encodingId);
        await decide({
          type: 'EvictEncoding',
          titleId,
          encodingId: older.encodingId,
          reason: 'unpublished',
          kept,
          at: at(),
        });
        logger.info({ titleId, encodingId: older.encodingId }, 'evicted: the title was unpublished');
      }
    const stored = [...state.held, ...state.filling].some(
      (entry) => packageKey(entry) === packageKey({ titleId, encodingId }),
    );
    await disk.remove(titleId, encodingId);
    if (stored) {
      await decide({ type: 'EvictEncoding', titleId, encodingId, reason: 'unpublished', at: at() });
      logger.info({ titleId, encodingId }, 'evicted: the title was unpublished');
    }
  };

  /** Removes the superseded revisions nobody has played for the grace: no new session can start them. */
  const retireIdleRevisions = () =>
    claimInTurn(async () => {
      const idle = superseded().idle.filter((item) => !isFilling(item));
      if (closing || idle.length === 0) return;
      const state = await registered();
      for (const { titleId, encodingId, lastServedAt } of idle) {
        const freed = disk.freedByRemoving([{ titleId, encodingId }]);
        const kept = await keptOnDisk(context, { titleId, encodingId });
        await disk.remove(titleId, encodingId);
        if (state.held.some((held) => packageKey(held) === packageKey({ titleId, encodingId })))
          await decide({ type: 'EvictEncoding', titleId, encodingId, reason: 'superseded', kept, at: at() });
        logger.info(
          {
            titleId,
            encodingId,
            publishedEncoding: publishedEncoding(titleId),
            lastServedAt: new Date(lastServedAt).toISOString(),
            freedBytes: freed,
          },
          'removed a superseded revision nobody played within the grace',
        );
      }
    });

  // What the stream and the disk say after the last run: finish what started, drop what is not ours.
  const reconcile = async () => {
    const state = await registered();
    for (const filling of state.filling) enqueue({ ...filling, reason: 'resume' }, true);
    for (const held of state.held) {
      if (disk.holds(held.titleId, held.encodingId)) continue;
      await decide({
        type: 'EvictEncoding',
        titleId: held.titleId,
        encodingId: held.encodingId,
        reason: 'operator',
        kept: await keptOnDisk(context, held),
        at: at(),
      });
      logger.warn({ titleId: held.titleId, encodingId: held.encodingId }, 'a held package was missing from disk');
    }
    const known = new Set([...state.held, ...state.filling].map(packageKey));
    for (const entry of disk.held())
      if (!known.has(packageKey(entry))) await disk.remove(entry.titleId, entry.encodingId);
  };
  const fillOnDemandNow = (titleId: string, encodingId: string) => {
    if (closing || withdrawn.has(packageKey({ titleId, encodingId }))) return;
    if (enqueue({ titleId, encodingId, reason: 'demand' }, true)) {
      logger.info({ titleId, encodingId }, 'miss: filling on demand');
      pump();
    } else if (!isFilling({ titleId, encodingId }) && schedule.promote({ titleId, encodingId })) pump();
  };

  await reconcile();
  await processor.start();
  if (policy === 'popularity') {
    const region = options.popularity?.region;
    if (!region) throw new Error('the popularity fill policy needs the edge region');
    popularity = await startPopularityFill({
      eventStore,
      checkpoints: options.checkpoints,
      region,
      model: options.popularity?.model ?? defaultPopularityModel,
      edge,
      disk,
      schedule,
      busy: () => new Set([...active.keys(), ...superseded().inUse.map(packageKey)]),
      room: (state) => roomOnDisk(state, disk, active),
      enqueue: (item) => !withdrawn.has(packageKey(item)) && enqueue({ ...item, reason: 'popular' }),
      pump,
      fillOnDemand,
      planIntervalMs: options.planIntervalMs,
      now,
      logger,
      onFatal: options.onFatal,
    });
  }

  // The window opens and retries come due without an event to wake the queue.
  const timer = setInterval(pump, 5_000);
  timer.unref();
  pump();
  const retireTimer = setInterval(
    () =>
      void retireIdleRevisions().catch((error) =>
        logger.error({ error: describe(error) }, 'removing superseded revisions failed'),
      ),
    Math.min(30_000, Math.max(100, graceMs / 4)),
  );
  retireTimer.unref();

  return {
    requestFill: (titleId, encodingId) => {
      // Unpublished: the viewer's request is still streamed through, but nothing is stored.
      if (closing || withdrawn.has(packageKey({ titleId, encodingId }))) return;
      // FILL_ON_DEMAND=0: a miss is only streamed through; fills keep to the policy and the window.
      if (!fillOnDemand || isFilling({ titleId, encodingId })) return;
      // A revision replaced it: its viewers finish from the upstream, nothing pushes out the new one for it.
      if (isSuperseded({ titleId, encodingId }, publishedEncoding)) return;
      // Outside `popularity` a miss fills; so does one of a fill already queued (waiting for the window).
      if (!popularity || schedule.find({ titleId, encodingId })) {
        fillOnDemandNow(titleId, encodingId);
        return;
      }
      popularity.admits({ titleId, encodingId }).then(
        (admitted) => admitted && fillOnDemandNow(titleId, encodingId),
        (error) => logger.error({ error: describe(error), titleId, encodingId }, 'deciding a fill on demand failed'),
      );
    },
    status: () => ({
      policy,
      fillOnDemand,
      ...(popularity && { predicted: popularity.predicted(10) }),
      windowOpen: schedule.windowOpen(),
      fillWindow: schedule.fillWindow,
      rateCapMbps: schedule.rateCapMbps,
      checkpoint: processor.status().position,
      filling: [...active.values()].map((entry) => ({
        titleId: entry.titleId,
        encodingId: entry.encodingId,
        reason: entry.reason,
        bytes: entry.bytes,
        bytesDone: entry.bytesDone,
        reusedBytes: entry.reusedBytes,
        startedAt: entry.startedAt.toISOString(),
      })),
      waiting: schedule.waiting(isFilling),
      recentFailures: [...failures],
      recentFills: [...completedFills],
    }),
    close: async () => {
      closing = true;
      clearInterval(timer);
      clearInterval(retireTimer);
      await processor.stop();
      await popularity?.stop();
      for (const entry of active.values()) {
        entry.stoppedFor = 'shutdown';
        entry.controller.abort();
      }
      await Promise.all([...active.values()].map((entry) => entry.done));
      await writing.catch(() => {});
    },
  };
};
