import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent, ViewStore } from '@marquee/platform';
import type { ProjectedEvent } from '../projection';
import { createProjector, type Target, toProjectedEvent } from './projector';

export type Progress = { position: number; head: number; startedAt: number; from: number; events: number };

export type RunOptions = {
  eventStore: EventStore;
  viewStore: ViewStore;
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
  onProgress?: (progress: Progress) => void;
  onCaughtUp?: (position: number) => void;
  /** Asked before each live write; false stops the run (e.g. a rebuild moved an alias). */
  shouldContinue?: () => Promise<boolean>;
};

const stopped = Symbol('stopped');

/**
 * Catch-up reads the log in position order from the lowest checkpoint and writes every
 * `catchUpBatch` events; then, when following, a live subscription writes small batches as
 * events arrive. Checkpoints move past events no target handles, so lag is exact.
 */
export const runProjections = async (options: RunOptions): Promise<{ position: number }> => {
  const { eventStore, viewStore, targets, until, signal } = options;
  const projector = createProjector(viewStore, targets);
  const from = await projector.start();
  const catchUpBatch = options.catchUpBatch ?? 20_000;
  const beyondUntil = (event: RecordedEvent) =>
    (until?.position !== undefined && event.position > until.position) ||
    (until?.time !== undefined && event.createdAt > until.time);

  let position = from;
  let events = 0;
  let lastRead = position;
  const startedAt = Date.now();
  const storeHead = await eventStore.headPosition();
  const head = until?.position !== undefined ? Math.min(until.position, storeHead) : storeHead;
  const report = () => options.onProgress?.({ position: Math.max(position, lastRead), head, startedAt, from, events });

  // Catch-up: only the event types some target reads.
  // Events are folded in small chunks (bounded memory) and written every `catchUpBatch`.
  const chunkSize = Math.min(catchUpBatch, 5000);
  let chunk: ProjectedEvent[] = [];
  let sinceWrite = 0;
  const applyChunk = async () => {
    await projector.apply(chunk);
    events += chunk.length;
    sinceWrite += chunk.length;
    lastRead = chunk.at(-1)?.position ?? lastRead;
    chunk = [];
  };
  for await (const recorded of eventStore.readAll({ from, filter: { eventTypes: projector.eventTypes() } })) {
    if (signal?.aborted) return { position };
    if (beyondUntil(recorded)) break;
    chunk.push(toProjectedEvent(recorded));
    if (chunk.length < chunkSize) continue;
    await applyChunk();
    if (sinceWrite >= catchUpBatch) {
      position = lastRead;
      sinceWrite = 0;
      await projector.flush(position);
    }
    report();
  }
  await applyChunk();
  // The scan went past every event up to the head, handled or not; a snapshot up to a time
  // knows only the last event it read.
  position = until?.time && until.position === undefined ? lastRead : Math.max(head, lastRead);
  await projector.flush(position);
  report();
  options.onCaughtUp?.(position);
  if (!options.follow || until || signal?.aborted) return { position };

  // Live: every event, so the checkpoint follows the head even through events no view reads.
  const subscription = eventStore.subscribe({ from: position });
  const abort = () => void subscription.close();
  signal?.addEventListener('abort', abort, { once: true });
  const iterator = subscription[Symbol.asyncIterator]();
  const liveBatch = options.liveBatch ?? 500;
  const waitMs = options.liveBatchWaitMs ?? 20;
  let next: Promise<IteratorResult<RecordedEvent>> | undefined;
  try {
    for (;;) {
      const first = await (next ?? iterator.next());
      next = undefined;
      if (first.done) break;
      const received = [first.value];
      const deadline = Date.now() + waitMs;
      while (received.length < liveBatch) {
        next = iterator.next();
        const result = await Promise.race([next, sleep(Math.max(0, deadline - Date.now())).then(() => stopped)]);
        if (result === stopped) break;
        next = undefined;
        if ((result as IteratorResult<RecordedEvent>).done) break;
        received.push((result as IteratorResult<RecordedEvent>).value);
      }
      // A rebuild may have swapped in another generation: stop before writing to the old one.
      if (options.shouldContinue && !(await options.shouldContinue())) break;
      const handled = new Set(projector.eventTypes());
      await projector.apply(received.filter((e) => handled.has(e.type)).map(toProjectedEvent));
      position = (received.at(-1) as RecordedEvent).position;
      events += received.length;
      await projector.flush(position);
      report();
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    await subscription.close();
  }
  return { position };
};
