import {
  type AppendResult,
  type EventToAppend,
  type ExpectedRevision,
  PartialDuplicateAppend,
  VersionConflict,
} from './event-store';

/*
 * What every adapter does with event ids already in a stream, written once:
 * - an append whose ids are all in the stream is a retry: it writes nothing and gets the
 *   original append's result (the revision and position of its last event);
 * - an append mixing ids in the stream with new ones is refused (PartialDuplicateAppend);
 * - an append naming one id twice is refused before anything else (RepeatedEventId).
 * Adapters only say how they find an id in a stream.
 */

/** One append names the same event id more than once: no store could write both. */
export class RepeatedEventId extends Error {
  readonly code = 'RepeatedEventId';
  constructor(
    readonly streamName: string,
    readonly eventId: string,
  ) {
    super(`An append to ${streamName} names the same event id twice (${eventId}); give each event its own id.`);
    this.name = 'RepeatedEventId';
  }
}

/** Throws RepeatedEventId when an append names one id twice. */
export const refuseRepeatedIds = (streamName: string, events: readonly EventToAppend[]): void => {
  if (events.length < 2) return;
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) throw new RepeatedEventId(streamName, event.id);
    seen.add(event.id);
  }
};

/**
 * The event already in the stream that an append repeats, when the append is a retry: given
 * what the adapter found for each of its events (undefined for an id not in the stream), the
 * found event with the highest revision, or null when none was found. A partial match throws
 * PartialDuplicateAppend. `Found` carries whatever the adapter knows of where the event is.
 */
export const repeatedAppend = <Found extends { revision: number }>(
  streamName: string,
  events: readonly EventToAppend[],
  found: readonly (Found | undefined)[],
): Found | null => {
  let last: Found | null = null;
  let missing = 0;
  for (const entry of found) {
    if (entry === undefined) missing++;
    else if (last === null || entry.revision > last.revision) last = entry;
  }
  if (last === null) return null;
  if (missing > 0)
    throw new PartialDuplicateAppend(
      streamName,
      events.filter((_, i) => found[i] !== undefined).map((event) => event.id),
    );
  return last;
};

/**
 * The end of an append whose expectation failed: a retry of an earlier append gets that
 * append's result, anything else is a VersionConflict.
 */
export const originalOrConflict = (
  original: AppendResult | null,
  streamName: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): AppendResult => {
  if (original) return original;
  throw new VersionConflict(streamName, expected, actual);
};
