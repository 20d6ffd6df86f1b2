import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  RecordedEvent as EsdbRecordedEvent,
  EventData,
  Filter,
  Position,
  ReadPosition,
  StreamingRead,
} from '@eventstore/db-client';
import {
  AccessDeniedError,
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  InvalidArgumentError,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  streamNameFilter,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { originalOrConflict, refuseRepeatedIds, repeatedAppend } from './duplicate-events';
import { defaultDuplicateScanWindow, duplicateScanBeforeAppend, refuseUnsupportedOptions } from './esdb-append-checks';
import {
  type AppendResult,
  type EventFilter,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  matchesFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  revisionMatches,
  type SubscribeOptions,
  type Subscription,
  VersionConflict,
} from './event-store';

/*
 * Positions: the port's position is the event's commit position in $all. Events written by a
 * current server are implicitly committed prepares whose commit and prepare positions are both
 * the record's log position, so each event has its own, increasing, commit position, and
 * { commit: p, prepare: p } addresses it again. Reads of $all from a position include the event
 * at that position, subscriptions start after it; both are also filtered here (<= p skipped).
 *
 * Idempotency (what ESDB itself does with event ids):
 * - exact revision or NO_STREAM: the server compares the batch with the events just after that
 *   revision. The same batch again is acknowledged with the original revision and position, even
 *   if the stream has moved on since; a batch that only partly matches, or a batch already
 *   written elsewhere in the stream, fails with WrongExpectedVersion.
 * - ANY and STREAM_EXISTS: the server only looks ids up in an in-memory, bounded cache of
 *   recently committed events ("best effort, not guaranteed" in its docs). A retry while the ids
 *   are cached is acknowledged without writing; once they are evicted, or after a restart, the
 *   events are written a second time, and a batch whose first event is new is always written.
 * So a failed check is resolved by looking for the ids in the stream, and appends other than
 * NO_STREAM look for them before writing (see duplicateScanBeforeAppend). Both look back
 * `duplicateScanWindow` events (ESDB_DUPLICATE_SCAN_WINDOW): an append repeating ids older than
 * that is written again.
 */
const minBackoffMs = 100;
const maxBackoffMs = 5000;

const ignore = () => {};

const toEsdbRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

const toEventData = (event: EventToAppend): EventData =>
  jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** A commit position the port can use; servers before 22.6 send none (or u64 max) on stream reads. */
const commitOf = (position: Position | undefined): number | undefined =>
  position && position.commit >= 0n && position.commit < 2n ** 63n ? Number(position.commit) : undefined;

const positionAt = (position: number): Position => ({ commit: BigInt(position), prepare: BigInt(position) });

/** Where a subscription starts: the log's start, after a position, or the end still to be pinned. */
export const subscriptionStart = (from: number | 'start' | 'end'): Position | 'start' | 'end' =>
  from === 'end' ? 'end' : typeof from === 'number' && from > 0 ? positionAt(from) : 'start';

/**
 * The end a subscription from 'end' starts after: the newest event, or, for an empty log, its
 * start (everything in it is then new), never the server's END, which moves.
 */
export const pinnedEnd = (newest: Position | null): Position | 'start' => newest ?? 'start';

const isSystemEvent = (event: { type: string; streamId: string }) =>
  event.type.startsWith('$') || event.streamId.startsWith('$');

const toRecorded = (event: EsdbRecordedEvent): RecordedEvent => ({
  id: event.id,
  type: event.type,
  streamName: event.streamId,
  revision: Number(event.revision),
  // Unknown only on stream reads from servers older than 22.6.
  position: commitOf(event.position) ?? -1,
  // Marquee writes JSON objects only; anything else (binary, arrays) reads as empty.
  data: event.isJson && isPlainObject(event.data) ? event.data : {},
  metadata: isPlainObject(event.metadata) ? event.metadata : {},
  // v6 converts the server's .NET ticks into a Date already.
  createdAt: event.created,
});

const matchesNothing = (filter: EventFilter | undefined) =>
  filter?.eventTypes?.length === 0 || filter?.categories?.length === 0;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * ESDB filters on one field at a time, so categories win when both are given (the rest is done
 * client side). A category regex rather than a `cat-` prefix, because `categoryOf` also puts a
 * stream without a dash in the category of its own name.
 */
const serverFilter = (
  filter: EventFilter | undefined,
  checkpointReached?: (subscription: AllStreamSubscription, position: Position) => void,
): Filter => {
  const options = checkpointReached ? { checkpointReached } : {};
  if (filter?.categories)
    return streamNameFilter({ regex: `^(?:${filter.categories.map(escapeRegex).join('|')})(?:-|$)`, ...options });
  if (filter?.eventTypes)
    return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`, ...options });
  return excludeSystemEvents(options);
};

const isFiltering = (filter: EventFilter | undefined): filter is EventFilter =>
  filter?.categories !== undefined || filter?.eventTypes !== undefined;

/**
 * Iterates a read; a missing stream reads as empty (v6 reports it as a StreamNotFoundError thrown
 * during iteration), and a read left early is cancelled so the server stops sending.
 */
async function* drain<E>(read: StreamingRead<E>): AsyncGenerator<E> {
  // An error arriving after iteration stopped must not become an unhandled 'error' event.
  read.on('error', ignore);
  let finished = false;
  try {
    yield* read;
    finished = true;
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
    finished = true;
  } finally {
    if (!finished) await read.cancel().catch(ignore);
  }
}

// Configuration problems that a resubscription cannot fix.
const isPermanent = (error: unknown) =>
  error instanceof AccessDeniedError || error instanceof InvalidArgumentError || error instanceof UnsupportedError;

export type EsdbEventStoreOptions = {
  /** How many of a stream's newest events an append looks through for the ids it repeats. */
  duplicateScanWindow?: number;
};

export const openEsdbEventStore = (connectionString: string, options: EsdbEventStoreOptions = {}): EventStore => {
  refuseUnsupportedOptions(connectionString);
  return esdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
};

/** The calls the adapter makes, so a test can stand in for a server. */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

/** The adapter over a client (opened from a connection string by `openEsdbEventStore`). */
export const esdbEventStore = (client: EsdbClient, options: EsdbEventStoreOptions = {}): EventStore => {
  const duplicateScanWindow = options.duplicateScanWindow ?? defaultDuplicateScanWindow;

  /** The newest event of $all (system ones included), or null when it is empty. */
  const lastPositionInAll = async (): Promise<Position | null> => {
    for await (const resolved of drain(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }))) {
      if (resolved.event) return resolved.event.position;
      if (resolved.commitPosition !== undefined)
        return { commit: resolved.commitPosition, prepare: resolved.commitPosition };
    }
    return null;
  };

  const headPosition = async (): Promise<number> => {
    // The newest event a reader can be given: system events are never delivered, so a head on
    // one of them would leave every caught-up reader looking behind for ever.
    for await (const resolved of drain(client.readAll({ direction: BACKWARDS, fromPosition: END }))) {
      if (resolved.event && !isSystemEvent(resolved.event)) return commitOf(resolved.event.position) ?? 0;
    }
    return 0;
  };

  const streamRevision = async (streamName: string): Promise<number | undefined> => {
    const read = client.readStream(streamName, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    for await (const resolved of drain(read)) if (resolved.event) return Number(resolved.event.revision);
    return undefined;
  };

  /** Where an event already in a stream is; stream reads carry positions from server 22.6 on. */
  const positionOfRevision = async (streamName: string, revision: bigint): Promise<number> => {
    const read = client.readStream(streamName, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    for await (const resolved of drain(read)) {
      const position = commitOf(resolved.event?.position);
      if (position !== undefined) return position;
    }
    // An older server: the head is at or after the event, the best bound available.
    return headPosition();
  };

  /** The original result of an append whose ids are all in the stream, or null if none are. */
  const originalAppend = async (streamName: string, events: readonly EventToAppend[]): Promise<AppendResult | null> => {
    const wanted = new Set(events.map((event) => event.id));
    const found = new Map<string, { revision: number; position: Position | undefined }>();
    const read = client.readStream(streamName, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: duplicateScanWindow,
    });
    for await (const resolved of drain(read)) {
      const event = resolved.event;
      if (!event || !wanted.has(event.id) || found.has(event.id)) continue;
      found.set(event.id, { revision: Number(event.revision), position: event.position });
      if (found.size === wanted.size) break;
    }
    const last = repeatedAppend(
      streamName,
      events,
      events.map((event) => found.get(event.id)),
    );
    if (!last) return null;
    return {
      nextExpectedRevision: last.revision,
      position: commitOf(last.position) ?? (await positionOfRevision(streamName, BigInt(last.revision))),
    };
  };

  const resolveConflict = async (
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    actual: bigint | 'no_stream',
  ): Promise<AppendResult> =>
    originalOrConflict(
      await originalAppend(streamName, events),
      streamName,
      expected,
      actual === 'no_stream' || actual < 0n ? 'no_stream' : Number(actual),
    );

  const appendToStream: EventStore['appendToStream'] = async (streamName, events, options = {}) => {
    const expected = options.expectedRevision ?? 'any';
    refuseRepeatedIds(streamName, events);
    if (events.length === 0) {
      const current = await streamRevision(streamName);
      if (!revisionMatches(expected, current)) throw new VersionConflict(streamName, expected, current ?? 'no_stream');
      return { nextExpectedRevision: current ?? -1, position: await headPosition() };
    }
    // An id already in the stream is not written again: a keyed command decided again expects
    // the stream's current revision, past its first append, which the server would write again.
    if (duplicateScanBeforeAppend(expected, duplicateScanWindow) > 0) {
      const original = await originalAppend(streamName, events);
      if (original) return original;
    }
    let result: Awaited<ReturnType<typeof client.appendToStream>>;
    try {
      result = await client.appendToStream(streamName, events.map(toEventData), {
        expectedRevision: toEsdbRevision(expected),
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      return resolveConflict(streamName, events, expected, error.actualVersion);
    }
    // A failed append throws: throwOnAppendFailure=false, whose failure value carries a wrong
    // revision, is refused when the store is opened.
    // A fresh append and an idempotent one both report the last event's revision and position;
    // an old server may send no position for the idempotent case.
    return {
      nextExpectedRevision: Number(result.nextExpectedRevision),
      position: commitOf(result.position) ?? (await positionOfRevision(streamName, result.nextExpectedRevision)),
    };
  };

  async function* readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return;
    const read = client.readStream(streamName, {
      direction: FORWARDS,
      fromRevision: BigInt(options.fromRevision ?? 0),
      ...(options.maxCount !== undefined && { maxCount: options.maxCount }),
    });
    for await (const resolved of drain(read)) if (resolved.event) yield toRecorded(resolved.event);
  }

  /**
   * The events of $all after `after` that pass the filter on the server, up to `head`: 6.2.1's
   * readAll always sends "no filter", so this is a filtered subscription, left when the server
   * says it has scanned past the head (a checkpoint) or caught up (servers from 23.10), or sends
   * an event beyond it. Both signals are pushed in line with the events, so none is lost.
   */
  async function* filteredUpTo(after: number, filter: EventFilter, head: Position): AsyncGenerator<EsdbRecordedEvent> {
    const reachedHead = Symbol('reached the head');
    const subscription = client.subscribeToAll({
      fromPosition: after > 0 ? positionAt(after) : START,
      filter: serverFilter(filter, (self, position) => {
        if (position.commit >= head.commit) self.push(reachedHead);
      }),
    });
    subscription.on('error', ignore);
    subscription.on('caughtUp', () => subscription.push(reachedHead));
    try {
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent | typeof reachedHead>) {
        if (resolved === reachedHead) return;
        const event = resolved.event;
        if (!event) continue;
        if (event.position.commit > head.commit) return;
        yield event;
      }
    } finally {
      await subscription.unsubscribe().catch(ignore);
      subscription.destroy();
    }
  }

  async function* readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    const { filter } = options;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0 || matchesNothing(filter)) return;
    const after = typeof options.from === 'number' ? options.from : -1;
    let events: AsyncIterable<EsdbRecordedEvent>;
    if (isFiltering(filter)) {
      // The head first: a catch-up reads what was there when it started, and a projection reads
      // only its event types from the server.
      const head = await lastPositionInAll();
      if (!head) return;
      events = filteredUpTo(after, filter, head);
    } else {
      // Everything: one streaming read of $all (backpressure keeps memory bounded).
      const read = client.readAll({ direction: FORWARDS, fromPosition: after > 0 ? positionAt(after) : START });
      events = (async function* () {
        for await (const resolved of drain(read)) if (resolved.event) yield resolved.event;
      })();
    }
    for await (const event of events) {
      if (isSystemEvent(event)) continue;
      const recorded = toRecorded(event);
      // The server filters on one field; a filter on both is finished here.
      if (recorded.position <= after || !matchesFilter(filter, recorded)) continue;
      yield recorded;
      if (--remaining <= 0) return;
    }
  }

  const countEventsAfter = async (position: number, atMost: number): Promise<number> => {
    let count = 0;
    if (atMost <= 0) return count;
    for await (const _ of readAll({ from: position, maxCount: atMost })) count++;
    return count;
  };

  const subscriptions = new Set<Subscription>();

  const subscribe = (options: SubscribeOptions = {}): Subscription => {
    const { filter } = options;
    const from = options.from ?? 'start';
    const stop = new AbortController();
    let active: AllStreamSubscription | undefined;
    // The last delivered event (or the starting point): where a resubscription starts, and
    // everything at or before it is skipped. Never the server's END: 'end' is pinned to the
    // newest event first, so a resubscription after a drop does not skip what was appended
    // meanwhile, and while that read fails it is retried rather than given up for END.
    let resumeFrom = subscriptionStart(from);
    let lastDelivered = typeof from === 'number' ? from : -1;
    // Read when subscribe() is called, so 'end' is the end then, as far as the server answers.
    let firstEndRead = from === 'end' ? lastPositionInAll() : undefined;
    firstEndRead?.catch(ignore);

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stop.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        stop.signal.addEventListener('abort', done, { once: true });
      });

    async function* run(): AsyncGenerator<RecordedEvent> {
      if (stop.signal.aborted) return;
      if (matchesNothing(filter)) {
        await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
        return;
      }
      let backoff = minBackoffMs;
      const retryLater = async () => {
        await pause(backoff);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      };
      while (!stop.signal.aborted) {
        if (resumeFrom === 'end') {
          const newest = await (firstEndRead ?? lastPositionInAll()).then(
            (position) => ({ position }),
            () => undefined,
          );
          firstEndRead = undefined;
          if (!newest) {
            await retryLater();
            continue;
          }
          resumeFrom = pinnedEnd(newest.position);
          if (resumeFrom !== 'start') lastDelivered = Number(resumeFrom.commit);
        }
        const fromPosition: ReadPosition = resumeFrom === 'start' ? START : resumeFrom;
        const subscription = client.subscribeToAll({ fromPosition, filter: serverFilter(filter) });
        subscription.on('error', ignore);
        active = subscription;
        try {
          // v6 yields events only (filter checkpoints go to a callback), but an entry without an
          // event, as for an unresolved link, is skipped all the same.
          for await (const resolved of subscription) {
            const event = resolved.event;
            if (!event || isSystemEvent(event)) continue;
            const recorded = toRecorded(event);
            if (recorded.position <= lastDelivered || !matchesFilter(filter, recorded)) continue;
            lastDelivered = recorded.position;
            resumeFrom = event.position;
            backoff = minBackoffMs;
            yield recorded;
            if (stop.signal.aborted) return;
          }
          // The server ended the call without an error: a drop as well.
        } catch (error) {
          if (stop.signal.aborted) return;
          if (isPermanent(error)) throw error;
        } finally {
          active = undefined;
          await subscription.unsubscribe().catch(ignore);
        }
        if (stop.signal.aborted) return;
        await retryLater();
      }
    }

    async function* guarded(): AsyncGenerator<RecordedEvent> {
      try {
        yield* run();
      } finally {
        stop.abort();
        subscriptions.delete(handle);
      }
    }

    const iterator = guarded();
    const handle: Subscription = {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        if (stop.signal.aborted) return;
        stop.abort();
        subscriptions.delete(handle);
        const current = active;
        if (current) {
          await current.unsubscribe().catch(ignore);
          // Ends a for-await that is waiting on the server.
          current.destroy();
        }
      },
    };
    subscriptions.add(handle);
    return handle;
  };

  let closed = false;
  return {
    appendToStream,
    readStream,
    readAll,
    subscribe,
    headPosition,
    countEventsAfter,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await client.dispose();
    },
  };
};
