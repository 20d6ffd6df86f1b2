import {
  type EdgeState,
  type HeldPackage,
  type PackageRef,
  type PopularityModel,
  packageKey,
  type RankedPackage,
} from '@marquee/domain';
import type { CheckpointStore, EventStore, Logger } from '@marquee/platform';
import type { EdgeDisk } from './content-disk';
import type { EdgeStream } from './edge-stream';
import { fillsOnDemand, planPopularFills, sameHoldings } from './fill-policy-plan';
import type { FillSchedule } from './fill-schedule';
import { startPopularityFollower } from './popularity-follower';

/*
 * The `popularity` fill policy on an edge: the region's demand followed from the log
 * (popularity-follower.ts), and the plan it drives: the titles in predicted order, as many as
 * fit, queued (behind the fill window) when not held. It plans again when the fold says demand
 * may have changed and the titles wanted differ from the last plan, and every `planIntervalMs`
 * regardless. A viewer's miss fills only when the eviction policy admits it.
 */

export type PredictedTitle = { titleId: string; encodingId: string; score: number; bytes: number; held: boolean };

export type PopularityFill = {
  /** Predicted popularity by title id, for eviction. */
  scores(): ReadonlyMap<string, number>;
  /** Whether a viewer's miss fills the package: more popular than what it would evict. */
  admits(item: PackageRef): Promise<boolean>;
  /** The titles the region is predicted to watch, most popular first, for `/status`. */
  predicted(limit: number): PredictedTitle[];
  stop(): Promise<void>;
};

// A refused miss is not weighed again at every segment request of the same session.
const refusalMemoryMs = 10_000;

export const startPopularityFill = async (options: {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  region: string;
  model: PopularityModel;
  edge: EdgeStream;
  disk: EdgeDisk;
  schedule: FillSchedule;
  /** Packages being filled, and superseded revisions still played (never evicted). */
  busy: () => ReadonlySet<string>;
  /** What each held package would free and what is free, as the disk has it (see `roomOnDisk`). */
  room: (state: Extract<EdgeState, { status: 'registered' }>) => { held: HeldPackage[]; freeBytes: number };
  /** Queues a planned fill; false when held, filling, withdrawn or already queued. */
  enqueue: (item: RankedPackage) => boolean;
  /** Starts what the schedule has due. */
  pump: () => void;
  fillOnDemand: boolean;
  planIntervalMs?: number | undefined;
  now: () => Date;
  logger: Logger;
  onFatal?: ((error: unknown) => void) | undefined;
}): Promise<PopularityFill> => {
  const { edge, schedule, logger, now } = options;
  let stopped = false;
  let lastDesired: PackageRef[] = [];
  let planning: Promise<void> | undefined;
  let planAgain = false;

  const planOnce = async (force: boolean) => {
    if (stopped) return;
    const state = await edge.registered();
    const plan = planPopularFills({
      ranked: follower.demand.ranked(now().getTime()),
      capacityBytes: state.config.capacityBytes,
      held: state.held,
      filling: state.filling,
      queued: schedule.queuedFor('popular'),
    });
    if (!force && sameHoldings(plan.desired, lastDesired)) return;
    lastDesired = plan.desired;
    for (const item of plan.toDrop) schedule.dequeue(item);
    const queued = plan.toFill.filter((item) => options.enqueue(item));
    if (queued.length > 0)
      logger.info({ titles: queued.map((item) => item.titleId) }, 'predicted popular: queued for fill');
    options.pump();
  };
  // One plan at a time; a change meanwhile plans once more after it.
  const plan = (force = false): Promise<void> => {
    if (planning) {
      planAgain = true;
      return planning;
    }
    planning = planOnce(force)
      .catch((error) =>
        logger.error(
          { error: error instanceof Error ? error.message : String(error) },
          'planning popular fills failed',
        ),
      )
      .finally(() => {
        planning = undefined;
        if (planAgain) {
          planAgain = false;
          void plan(true);
        }
      });
    return planning;
  };

  const follower = await startPopularityFollower({
    eventStore: options.eventStore,
    checkpoints: options.checkpoints,
    region: options.region,
    model: options.model,
    now,
    logger,
    onChange: () => void plan(),
    onFatal: options.onFatal,
  });
  void follower.caughtUp.then(() => plan(true));
  const timer = setInterval(() => void plan(true), options.planIntervalMs ?? 5 * 60_000);
  timer.unref();

  const scores = () => follower.demand.scores(now().getTime());
  const refusedAt = new Map<string, number>();

  return {
    scores,
    admits: async (item) => {
      const bytes = follower.demand.bytesOf(item);
      if (!options.fillOnDemand || bytes === undefined) return false;
      const refused = refusedAt.get(packageKey(item));
      if (refused !== undefined && now().getTime() - refused < refusalMemoryMs) return false;
      const state = await edge.registered();
      const admitted = fillsOnDemand({
        fillOnDemand: options.fillOnDemand,
        policy: 'popularity',
        ...options.room(state),
        capacityBytes: state.config.capacityBytes,
        incoming: { ...item, bytes },
        lastServedAt: new Map(options.disk.held().map((entry) => [packageKey(entry), entry.lastServedAt])),
        scores: scores(),
        busy: options.busy(),
      });
      if (admitted) refusedAt.delete(packageKey(item));
      else refusedAt.set(packageKey(item), now().getTime());
      return admitted;
    },
    predicted: (limit) =>
      follower.demand
        .ranked(now().getTime())
        .slice(0, limit)
        .map((item) => ({
          ...item,
          score: Math.round(item.score * 1000) / 1000,
          held: options.disk.holds(item.titleId, item.encodingId),
        })),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await follower.stop();
      await planning;
    },
  };
};
