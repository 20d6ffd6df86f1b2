import { categoryOf } from '@marquee/domain';

/**
 * The event store port: one small interface that every backend implements.
 *
 * Revisions count a stream's events from 0. A position orders every event in the store;
 * it only grows, and commit order equals position order, so a reader that has seen
 * position p has seen everything before it. Both are plain numbers (exact up to 2^53).
 *
 * Positions are ordered but not dense: the difference of two positions is not a number of
 * events (SQLite's happen to count 1, 2, 3…; EventStoreDB's are byte offsets in its log, some
 * hundred apart). How many events lie between two places is `countEventsAfter`.
 */

/** What the appender believes the stream's revision to be. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type EventToAppend = {
  /**
   * A UUID. An id already in the stream is not written again (idempotent retries); on
   * EventStoreDB, among the stream's newest ESDB_DUPLICATE_SCAN_WINDOW events.
   */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
};

export type RecordedEvent = {
  id: string;
  type: string;
  streamName: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

export type AppendResult = {
  /** The revision of the stream's last event after this append: pass it as the next expectation. */
  nextExpectedRevision: number;
  /** The position of the last event appended (or, for an idempotent retry, of the original). */
  position: number;
};

export type EventFilter = {
  /** Only these event types. */
  eventTypes?: readonly string[];
  /** Only streams of these categories (`title` for `title-42`). */
  categories?: readonly string[];
};

export type ReadAllOptions = {
  /** Read events after this position (exclusive); `'start'` (the default) reads everything. */
  from?: number | 'start';
  filter?: EventFilter;
  /** Stop after this many events. */
  maxCount?: number;
};

export type ReadStreamOptions = {
  /** First revision to read (inclusive), default 0. */
  fromRevision?: number;
  maxCount?: number;
};

export type SubscribeOptions = {
  /** Deliver events after this position (exclusive); `'start'` (default) replays all, `'end'` only new ones. */
  from?: number | 'start' | 'end';
  filter?: EventFilter;
};

/**
 * Catch-up then live. Events arrive in position order, each once, including appends made by
 * other processes. A dropped connection is retried from the last delivered position by itself.
 */
export type Subscription = AsyncIterable<RecordedEvent> & {
  /** Ends the iteration; the for-await loop finishes. */
  close(): Promise<void>;
};

export interface EventStore {
  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** A stream's events in revision order; nothing for a stream that does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Every event in position order, streamed in pages (bounded memory). */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribe(options?: SubscribeOptions): Subscription;
  /** The position of the newest event, or 0 for an empty store (for lag and progress). */
  headPosition(): Promise<number>;
  /**
   * How many events come after `position` (exclusive), counted up to `atMost` (a reader asking
   * "am I within n events?" needs no more, and counting reads the events on some adapters).
   */
  countEventsAfter(position: number, atMost: number): Promise<number>;
  close(): Promise<void>;
}

/** The stream was not at the revision the appender expected: someone else wrote first. */
export class VersionConflict extends Error {
  readonly code = 'VersionConflict';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      `Stream ${streamName} changed underneath you: expected ${describe(expected)}, but it is ${actual === 'no_stream' ? 'absent' : `at revision ${actual}`}. Reload and try again.`,
    );
    this.name = 'VersionConflict';
  }
}

/** An append mixed ids already in the stream with new ones: neither a retry nor a new append. */
export class PartialDuplicateAppend extends Error {
  readonly code = 'PartialDuplicateAppend';
  constructor(
    readonly streamName: string,
    readonly duplicateIds: string[],
  ) {
    super(
      `Append to ${streamName} repeats ${duplicateIds.length} event id(s) already in the stream alongside new ones; an idempotent retry must resend exactly the same events.`,
    );
    this.name = 'PartialDuplicateAppend';
  }
}

const describe = (expected: ExpectedRevision) =>
  typeof expected === 'number' ? `revision ${expected}` : expected.replace('_', ' ');

/** Does the stream's state satisfy the expectation? `current` is undefined for an absent stream. */
export const revisionMatches = (expected: ExpectedRevision, current: number | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
};

export const matchesFilter = (filter: EventFilter | undefined, event: { type: string; streamName: string }) =>
  (!filter?.eventTypes || filter.eventTypes.includes(event.type)) &&
  (!filter?.categories || filter.categories.includes(categoryOf(event.streamName)));
