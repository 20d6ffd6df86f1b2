import { type Decider, decodeEvent, type MarqueeEvent } from '@marquee/domain';
import { LRUCache } from 'lru-cache';
import type { EventStore, RecordedEvent } from '../event-store/event-store';

/** Reads a stored event back into a domain event, upcasting older schema versions. */
export const readDomainEvent = (recorded: RecordedEvent): MarqueeEvent =>
  decodeEvent({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
  });

/**
 * States of streams already folded, by stream, with the revision they include. Reading a
 * stream then costs only the events appended since; a busy stream (a session's heartbeats)
 * is not refolded from its start on every command. States are immutable, so sharing is safe.
 */
export type AggregateCache = LRUCache<string, { state: unknown; revision: number; decider: unknown }>;
export const createAggregateCache = (max = 10_000): AggregateCache => new LRUCache({ max });

/** A stream folded into its decider's state, with the revision to expect when appending. */
export const aggregateStream = async <State, Event extends MarqueeEvent>(
  store: EventStore,
  streamName: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  cache?: AggregateCache,
): Promise<{ state: State; revision: number | undefined }> => {
  const cached = cache?.get(streamName);
  const known = cached?.decider === decider ? cached : undefined;
  let state = known ? (known.state as State) : decider.initialState();
  let revision: number | undefined = known?.revision;
  for await (const recorded of store.readStream(streamName, {
    fromRevision: revision === undefined ? 0 : revision + 1,
  })) {
    state = decider.evolve(state, readDomainEvent(recorded) as Event);
    revision = recorded.revision;
  }
  if (cache && revision !== undefined && revision !== known?.revision)
    cache.set(streamName, { state, revision, decider });
  return { state, revision };
};
