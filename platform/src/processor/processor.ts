import type { CheckpointState, CheckpointStore } from '../checkpoints/checkpoint-store';
import { type EventFilter, type EventStore, matchesFilter, type RecordedEvent } from '../event-store/event-store';
import type { Logger } from '../logging';

/*
 * A processor is a reaction to the log: it reads events after its checkpoint, hands them to a
 * handler, and saves the checkpoint after the handler is done with them. A crash between the
 * two hands the same events over again on restart, so a handler must be idempotent by event id
 * (a job id that is the event id, a document that records the last position applied to it).
 *
 * Catch-up reads the log in pages with the filter; live, it follows a subscription. Every
 * reaction, the projection runner included, is one of these: a new one copies an existing one.
 */

/** Where a processor's checkpoint is kept: one id in a checkpoint store, or a reaction's own (projections). */
export type ProcessorCheckpoint = {
  load(): Promise<{ position: number; state?: CheckpointState } | undefined>;
  save(position: number, state?: CheckpointState): Promise<void>;
};

export const checkpointIn = (store: CheckpointStore, id: string): ProcessorCheckpoint => ({
  load: () => store.load(id),
  save: (position, state) => store.save(id, position, state),
});

export type ProcessorProgress = {
  /** Positions are ordered but not dense: `(position - from) / (head - from)` is a fraction done, not a count. */
  position: number;
  /** The head of the log when catch-up began (or the `until` position). */
  head: number;
  startedAt: number;
  from: number;
  events: number;
};

export type ProcessorStatus =
  | { state: 'idle' | 'running' | 'stopped' | 'finished'; position: number }
  | { state: 'failed'; position: number; error: unknown };

type Handler =
  | {
      /** One event at a time; the checkpoint is saved after each. */
      handle: (event: RecordedEvent) => Promise<void>;
      handleBatch?: never;
    }
  | {
      /** Events in batches; the checkpoint is saved after each live batch, and every `batching.saveEvery` while catching up. */
      handleBatch: (events: readonly RecordedEvent[]) => Promise<void>;
      handle?: never;
    };

export type ProcessorOptions = Handler & {
  /** For logs. */
  name: string;
  eventStore: EventStore;
  checkpoint: ProcessorCheckpoint;
  /** Only these events reach the handler. */
  filter?: EventFilter;
  /** Saved with every checkpoint: what the reaction must keep together with its position. */
  state?: () => CheckpointState | undefined;
  /** Keep following live appends after catching up (a service); otherwise finish when caught up. */
  follow?: boolean;
  /** Finish after the last event at or before this position or time (a snapshot). Implies no follow. */
  until?: { position?: number; time?: Date };
  /**
   * Live, receive every event (the handler still sees only the filtered ones), so the checkpoint
   * follows the head and lag is exact even when the head is events the processor does not handle.
   */
  trackHead?: boolean;
  /** Batch form only. */
  batching?: {
    /** Events handed over at once while catching up (bounded memory). */
    catchUpChunk?: number;
    /** Events handled between checkpoints while catching up. */
    saveEvery?: number;
    /** Live: the most events in one batch, and how long the first may wait for company. */
    live?: number;
    liveWaitMs?: number;
  };
  /** Asked before each live batch; false finishes the processor (e.g. a rebuild moved an alias). */
  shouldContinue?: () => Promise<boolean>;
  now: () => Date;
  logger?: Logger;
  onProgress?: (progress: ProcessorProgress) => void;
  onCaughtUp?: (position: number) => void;
  /** The handler or the log failed: the processor has stopped, and `done` rejects with the error. */
  onError?: (error: unknown) => void;
  /**
   * A checkpoint that cannot be saved (its disk is full) does not stop the processor: it goes on,
   * says so once, and saves with its next batch; a restart meanwhile replays from the last one saved.
   * For reactions whose checkpoint is not their output (a projection's is written with its views).
   */
  goOnWhenCheckpointFails?: boolean;
};

export type Processor = {
  /** Loads the checkpoint and starts processing; resolves once the checkpoint is loaded. */
  start(): Promise<void>;
  /** Stops after the handler in flight and its checkpoint; resolves when it has. */
  stop(): Promise<void>;
  /** Resolves with the last position saved when the processor finishes or is stopped; rejects when it fails. */
  done: Promise<{ position: number }>;
  status(): ProcessorStatus;
  /** Events in the log after the processor's saved position, counted up to `atMost` (default 10,000). */
  lag(atMost?: number): Promise<number>;
  /** Saves the position reached with the current state now (the state changed between events). */
  saveCheckpoint(): Promise<void>;
};

const timedOut = Symbol('timed out');

export const createProcessor = (options: ProcessorOptions): Processor => {
  const { eventStore, checkpoint, filter, until, logger } = options;
  const batched = options.handleBatch !== undefined;
  const catchUpChunk = batched ? (options.batching?.catchUpChunk ?? 5000) : 1;
  const saveEvery = batched ? (options.batching?.saveEvery ?? catchUpChunk) : 1;
  const liveBatch = batched ? (options.batching?.live ?? 500) : 1;
  const liveWaitMs = options.batching?.liveWaitMs ?? 20;
  const follow = (options.follow ?? true) && !until;
  const stopping = new AbortController();

  let status: ProcessorStatus = { state: 'idle', position: 0 };
  let position = 0;
  let saved = 0;
  let saving = Promise.resolve();
  let resolveDone: (result: { position: number }) => void = () => {};
  let rejectDone: (error: unknown) => void = () => {};
  const done = new Promise<{ position: number }>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Whoever awaits `done` sees the failure; nobody awaiting it is not an unhandled rejection.
  done.catch(() => {});
  let running: Promise<void> | undefined;

  /** Saves in turn, so a later position is never overwritten by an earlier one. */
  let checkpointFailing = false;
  const save = (at: number) => {
    const next = saving.then(async () => {
      try {
        await checkpoint.save(at, options.state?.());
      } catch (error) {
        if (!options.goOnWhenCheckpointFails) throw error;
        if (!checkpointFailing)
          logger?.warn(
            { processor: options.name, position: saved, error: error instanceof Error ? error.message : String(error) },
            'checkpoint not saved; going on, and saving it with the next batch',
          );
        checkpointFailing = true;
        return;
      }
      if (checkpointFailing) logger?.info({ processor: options.name, position: at }, 'checkpoint saved again');
      checkpointFailing = false;
      saved = at;
      status = { ...status, position: at };
    });
    saving = next.catch(() => {});
    return next;
  };

  const handle = async (events: readonly RecordedEvent[]) => {
    if (events.length === 0) return;
    if (options.handleBatch) await options.handleBatch(events);
    else for (const event of events) await options.handle(event);
  };

  const catchUp = async (from: number, startedAt: number) => {
    const storeHead = await eventStore.headPosition();
    const head = until?.position !== undefined ? Math.min(until.position, storeHead) : storeHead;
    let events = 0;
    let lastRead = from;
    let sinceSave = 0;
    const report = () =>
      options.onProgress?.({ position: Math.max(position, lastRead), head, startedAt, from, events });
    const beyondUntil = (event: RecordedEvent) =>
      (until?.position !== undefined && event.position > until.position) ||
      (until?.time !== undefined && event.createdAt > until.time);

    let chunk: RecordedEvent[] = [];
    const handleChunk = async () => {
      await handle(chunk);
      events += chunk.length;
      sinceSave += chunk.length;
      lastRead = chunk.at(-1)?.position ?? lastRead;
      chunk = [];
    };
    for await (const event of eventStore.readAll({ from, ...(filter && { filter }) })) {
      if (stopping.signal.aborted) return false;
      if (beyondUntil(event)) break;
      chunk.push(event);
      if (chunk.length < catchUpChunk) continue;
      await handleChunk();
      if (sinceSave >= saveEvery) {
        position = lastRead;
        sinceSave = 0;
        await save(position);
      }
      report();
    }
    if (stopping.signal.aborted) return false;
    await handleChunk();
    // The scan went past every event up to the head, handled or not; a snapshot up to a time
    // knows only the last event it read.
    position = until?.time && until.position === undefined ? lastRead : Math.max(head, lastRead);
    if (position > saved || events > 0) await save(position);
    report();
    options.onCaughtUp?.(position);
    return true;
  };

  const followLive = async (startedAt: number) => {
    const subscription = eventStore.subscribe({ from: position, ...(filter && !options.trackHead && { filter }) });
    const close = () => void subscription.close();
    stopping.signal.addEventListener('abort', close, { once: true });
    const iterator = subscription[Symbol.asyncIterator]();
    const from = position;
    let events = 0;
    let next: Promise<IteratorResult<RecordedEvent>> | undefined;
    try {
      for (;;) {
        const first = await (next ?? iterator.next());
        next = undefined;
        if (first.done || stopping.signal.aborted) break;
        const received = [first.value];
        if (received.length < liveBatch) {
          const deadline = new Promise<typeof timedOut>((resolve) => setTimeout(resolve, liveWaitMs, timedOut));
          while (received.length < liveBatch) {
            next = iterator.next();
            const result = await Promise.race([next, deadline]);
            if (result === timedOut) break;
            next = undefined;
            if (result.done) break;
            received.push(result.value);
          }
        }
        if (options.shouldContinue && !(await options.shouldContinue())) break;
        await handle(filter ? received.filter((event) => matchesFilter(filter, event)) : received);
        position = (received.at(-1) as RecordedEvent).position;
        events += received.length;
        await save(position);
        options.onProgress?.({ position, head: position, startedAt, from, events });
      }
    } finally {
      stopping.signal.removeEventListener('abort', close);
      await subscription.close();
    }
  };

  const run = async () => {
    const startedAt = options.now().getTime();
    try {
      const caughtUp = await catchUp(position, startedAt);
      if (caughtUp && follow && !stopping.signal.aborted) await followLive(startedAt);
      await saving;
      status = { state: stopping.signal.aborted ? 'stopped' : 'finished', position: saved };
      resolveDone({ position });
    } catch (error) {
      await saving;
      status = { state: 'failed', position: saved, error };
      logger?.error(
        { processor: options.name, position: saved, error: error instanceof Error ? error.message : String(error) },
        'processor failed; it has stopped',
      );
      options.onError?.(error);
      rejectDone(error);
    }
  };

  return {
    start: async () => {
      if (running) return;
      const loaded = await checkpoint.load();
      position = loaded?.position ?? 0;
      saved = position;
      status = { state: 'running', position };
      running = run();
    },
    stop: async () => {
      stopping.abort();
      if (running) return running;
      status = { state: 'stopped', position };
      resolveDone({ position });
    },
    done,
    status: () => status,
    lag: (atMost = 10_000) => eventStore.countEventsAfter(saved, atMost),
    saveCheckpoint: () => save(position),
  };
};

/**
 * Starts a processor and runs it until it finishes, fails, or `signal` aborts (then it stops
 * after the event in flight and its checkpoint). Resolves with the last position saved.
 */
export const runProcessor = async (processor: Processor, signal?: AbortSignal): Promise<{ position: number }> => {
  const stop = () => void processor.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await processor.start();
    if (signal?.aborted) await processor.stop();
    return await processor.done;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
};
