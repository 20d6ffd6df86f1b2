import type { PopularityModel } from '@marquee/domain';
import {
  type CheckpointStore,
  checkpointIn,
  createProcessor,
  type EventStore,
  type Logger,
  readDomainEvent,
} from '@marquee/platform';
import { createRegionalDemand, type RegionalDemand, regionalDemandEvents } from './popularity-region';

/*
 * The edge follows the log for its region's demand: a processor folding plays, publishes and
 * encodings into `createRegionalDemand`, with its checkpoint on the edge's own disk. The
 * checkpoint's state is the fold itself, so a restart reads only what was appended since,
 * not a year of plays.
 */

export const popularityCheckpointId = 'popularity';

export type PopularityFollower = {
  demand: RegionalDemand;
  /** Caught up with the log as it was at start (so the fill policy does not plan on half a history). */
  caughtUp: Promise<void>;
  position(): number;
  stop(): Promise<void>;
};

export const startPopularityFollower = async (options: {
  eventStore: EventStore;
  checkpoints: CheckpointStore;
  region: string;
  model: PopularityModel;
  now: () => Date;
  logger: Logger;
  /** The fold changed in a way that may change what the region is predicted to watch. */
  onChange: () => void;
  onFatal?: (error: unknown) => void;
}): Promise<PopularityFollower> => {
  const demand = createRegionalDemand(options.region, options.model);
  const saved = await options.checkpoints.load(popularityCheckpointId);
  if (saved?.state) demand.restore(saved.state);
  let stopping = false;
  let markCaughtUp: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    markCaughtUp = resolve;
  });

  const processor = createProcessor({
    name: 'popularity',
    eventStore: options.eventStore,
    checkpoint: checkpointIn(options.checkpoints, popularityCheckpointId),
    filter: { eventTypes: regionalDemandEvents },
    state: () => demand.snapshot(),
    // Saved per batch, not per play: every play is a write of the whole table otherwise.
    handleBatch: async (events) => {
      let changed = false;
      for (const recorded of events) changed = demand.apply(readDomainEvent(recorded)) || changed;
      if (changed) options.onChange();
    },
    batching: { catchUpChunk: 5000, saveEvery: 20_000, live: 500, liveWaitMs: 200 },
    // The checkpoint lives on the edge's disk: a full disk must not stop the edge serving.
    goOnWhenCheckpointFails: true,
    onCaughtUp: () => markCaughtUp(),
    now: options.now,
    logger: options.logger,
    onError: (error) => {
      if (stopping) return;
      options.logger.fatal(
        { error: error instanceof Error ? error.message : String(error) },
        'following demand failed',
      );
      options.onFatal?.(error);
    },
  });
  await processor.start();

  return {
    demand,
    caughtUp,
    position: () => processor.status().position,
    stop: async () => {
      stopping = true;
      markCaughtUp();
      await processor.stop();
    },
  };
};
