import { packageKey } from '@marquee/domain';
import { type FillWindow, isInsideWindow } from './edge-config';
import { createRateLimiter } from './upstream';

/*
 * When fills run: the queue of packages waiting, the fill window that publishes wait for (a
 * viewer's miss does not wait), the rate every download shares, and the backoff of a fill that
 * could not start. Time comes from `now`, so a test moves the window and the backoff by hand.
 */

/** `popular`: the popularity policy predicts the region will watch it. */
export type FillReason = 'published' | 'demand' | 'resume' | 'popular';

/** Fills ahead of demand wait for the fill window; a viewer's miss and a resumed fill do not. */
const waitsForWindow = (reason: FillReason) => reason === 'published' || reason === 'popular';

/** A publish not yet started: kept in the fill agent's checkpoint until its fill has started. */
export type PendingPublish = { titleId: string; encodingId: string; reason: FillReason; queuedAt: string };

export type QueuedFill = PendingPublish & {
  /** Came from TitlePublished: kept in the checkpoint until its fill has started. */
  fromPublish: boolean;
  attempts: number;
  /** When it may be tried again (ms since the epoch). */
  retryAt?: number;
};

export type WaitingFill = PendingPublish & {
  waitingFor: 'fill window' | 'a free slot' | 'a retry';
  retryAt?: string;
};

type Package = { titleId: string; encodingId: string };

const maxAttemptsBeforeStart = 6;
// A disk that filled up may be freed soon (an operator, an eviction) or not for hours: the first
// retry waits half a minute, each later one twice as long, up to half an hour.
const diskFullPauseMs = 30_000;
const longestDiskFullPauseMs = 30 * 60_000;

export const createFillSchedule = (options: {
  fillWindow?: FillWindow | undefined;
  rateBytesPerSecond?: number | undefined;
  now: () => Date;
  /** From the checkpoint: publishes whose fills had not started. */
  pending: readonly PendingPublish[];
}) => {
  const { now } = options;
  const queue: QueuedFill[] = options.pending.map((item) => ({ ...item, fromPublish: true, attempts: 0 }));
  const find = (item: Package) => queue.find((queued) => packageKey(queued) === packageKey(item));
  const dequeue = (item: Package) => {
    const index = queue.findIndex((queued) => packageKey(queued) === packageKey(item));
    if (index >= 0) queue.splice(index, 1);
    return index >= 0;
  };
  const windowOpen = () => isInsideWindow(options.fillWindow, now());
  const retrying = (item: QueuedFill) => item.retryAt !== undefined && item.retryAt > now().getTime();

  return {
    /** Every download of every fill draws from this budget. */
    limiter: options.rateBytesPerSecond ? createRateLimiter(options.rateBytesPerSecond) : undefined,
    rateCapMbps: options.rateBytesPerSecond ? (options.rateBytesPerSecond * 8) / 1e6 : null,
    fillWindow: options.fillWindow?.text ?? null,
    windowOpen,
    find,
    dequeue,

    /** Queues a package; one already waiting is not queued twice, but a publish marks it as one. */
    enqueue(item: Package & { reason: FillReason }, first = false) {
      const waiting = find(item);
      if (waiting) {
        if (item.reason === 'published') waiting.fromPublish = true;
        return false;
      }
      const queued = { ...item, fromPublish: item.reason === 'published', attempts: 0, queuedAt: now().toISOString() };
      if (first) queue.unshift(queued);
      else queue.push(queued);
      return true;
    },

    /** A viewer wants now what waits for the fill window: it goes first, as a demand. */
    promote(item: Package) {
      const waiting = find(item);
      if (!waiting || !waitsForWindow(waiting.reason)) return false;
      dequeue(waiting);
      queue.unshift({ ...waiting, reason: 'demand' });
      return true;
    },

    /** The first package due to start, skipping those already filling. */
    next(isFilling: (item: Package) => boolean) {
      const open = windowOpen();
      return queue.find(
        (queued) => !isFilling(queued) && !retrying(queued) && (!waitsForWindow(queued.reason) || open),
      );
    },

    /**
     * A fill that could not start: given up when it never can (permanent), or when a viewer's
     * demand has failed too often; otherwise tried again later, backing off up to a minute. A
     * publish is never given up for a passing problem.
     */
    couldNotStart(item: QueuedFill, permanent: boolean): 'given up' | 'retry' {
      item.attempts += 1;
      if (permanent || (!item.fromPublish && item.attempts >= maxAttemptsBeforeStart)) {
        dequeue(item);
        return 'given up';
      }
      item.retryAt = now().getTime() + Math.min(60_000, 1000 * 2 ** item.attempts);
      return 'retry';
    },

    /** What waits for a reason (the popularity policy's own fills, say). */
    queuedFor: (reason: FillReason): QueuedFill[] => queue.filter((item) => item.reason === reason),

    /**
     * A fill that failed for want of room on the disk: queued again as a publish (a fill the
     * popularity policy planned stays its own, and out of the checkpoint), so it waits for
     * the fill window, and not before a pause that grows with each such failure.
     */
    retryLater(item: QueuedFill): Date {
      const attempts = item.attempts + 1;
      const retryAt = now().getTime() + Math.min(longestDiskFullPauseMs, diskFullPauseMs * 2 ** (attempts - 1));
      dequeue(item);
      queue.push({
        titleId: item.titleId,
        encodingId: item.encodingId,
        reason: item.reason === 'popular' ? 'popular' : 'published',
        queuedAt: now().toISOString(),
        fromPublish: item.reason !== 'popular',
        attempts,
        retryAt,
      });
      return new Date(retryAt);
    },

    /** What the checkpoint keeps: the publishes not started yet. */
    pendingPublishes: (): PendingPublish[] =>
      queue
        .filter((item) => item.fromPublish)
        .map(({ titleId, encodingId, reason, queuedAt }) => ({ titleId, encodingId, reason, queuedAt })),

    waiting(isFilling: (item: Package) => boolean): WaitingFill[] {
      const open = windowOpen();
      return queue
        .filter((item) => !isFilling(item))
        .map((item) => ({
          titleId: item.titleId,
          encodingId: item.encodingId,
          reason: item.reason,
          queuedAt: item.queuedAt,
          waitingFor: retrying(item)
            ? ('a retry' as const)
            : waitsForWindow(item.reason) && !open
              ? ('fill window' as const)
              : ('a free slot' as const),
          ...(retrying(item) && { retryAt: new Date(item.retryAt as number).toISOString() }),
        }));
    },
  };
};

export type FillSchedule = ReturnType<typeof createFillSchedule>;
