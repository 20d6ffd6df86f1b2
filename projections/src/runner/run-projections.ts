import {
  type CheckpointStore,
  createProcessor,
  type EventStore,
  type ProcessorProgress,
  runProcessor,
  type ViewStore,
} from '@marquee/platform';
import { createProjector, type Target, toProjectedEvent } from './projector';

export type Progress = ProcessorProgress;

export type RunOptions = {
  eventStore: EventStore;
  viewStore: ViewStore;
  checkpoints: CheckpointStore;
  targets: readonly Target[];
  /** Stop after the last event at or before this position or time (a snapshot). */
  until?: { position?: number; time?: Date };
  /** Keep following live appends after catching up (the service); otherwise stop when caught up. */
  follow?: boolean;
  /** Events read between writes while catching up (a rebuild writes rarely; the live service often). */
  catchUpBatch?: number;
  /** Live: the most events in one write, and how long the first one may wait for company. */
  liveBatch?: number;
  liveBatchWaitMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
  onProgress?: (progress: Progress) => void;
  onCaughtUp?: (position: number) => void;
  /** Asked before each live write; false stops the run (e.g. a rebuild moved an alias). */
  shouldContinue?: () => Promise<boolean>;
};

/**
 * The projection runner is a processor whose handler is the projector. Catch-up reads the log
 * from the lowest checkpoint, folding events in chunks (bounded memory) and writing every
 * `catchUpBatch` events; live, it writes small batches as events arrive. Its checkpoint is each
 * target's own: saving it writes the changed documents, then moves every target's checkpoint,
 * past events no target handles too, so lag is exact.
 */
export const runProjections = async (options: RunOptions): Promise<{ position: number }> => {
  const { eventStore, viewStore, checkpoints, targets, signal } = options;
  const projector = createProjector(viewStore, checkpoints, targets);
  const catchUpBatch = options.catchUpBatch ?? 20_000;
  const processor = createProcessor({
    name: 'projections',
    eventStore,
    checkpoint: {
      load: async () => ({ position: await projector.start() }),
      save: (position) => projector.flush(position),
    },
    filter: { eventTypes: projector.eventTypes() },
    trackHead: true,
    follow: options.follow ?? false,
    ...(options.until && { until: options.until }),
    batching: {
      catchUpChunk: Math.min(catchUpBatch, 5000),
      saveEvery: catchUpBatch,
      live: options.liveBatch ?? 500,
      liveWaitMs: options.liveBatchWaitMs ?? 20,
    },
    handleBatch: (events) => projector.apply(events.map(toProjectedEvent)),
    ...(options.shouldContinue && { shouldContinue: options.shouldContinue }),
    now: options.now ?? (() => new Date()),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.onCaughtUp && { onCaughtUp: options.onCaughtUp }),
  });
  return runProcessor(processor, signal);
};
