import { randomUUID } from 'node:crypto';
import { type Decider, decodeEvent, encodeEvent, type MarqueeEvent } from '@marquee/domain';
import { LRUCache } from 'lru-cache';
import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type RecordedEvent,
  VersionConflict,
} from '../event-store/event-store';
import { deterministicEventId } from '../ids/deterministic-id';

/** Reads a stored event back into a domain event, upcasting older schema versions. */
export const readDomainEvent = (recorded: RecordedEvent): MarqueeEvent =>
  decodeEvent({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : 1,
  });

export type AppendContext = {
  /** Events get ids derived from this key, so the same request twice appends once. */
  idempotencyKey?: string;
  /** Extra metadata for every event (request id, actor…). */
  metadata?: Record<string, unknown>;
};

/** Turns domain events into events to append: validated, versioned, with ids. */
export const toEventsToAppend = (
  streamName: string,
  events: readonly MarqueeEvent[],
  context: AppendContext = {},
): EventToAppend[] =>
  events.map((event, index) => {
    const { type, data, schemaVersion } = encodeEvent(event);
    return {
      id: context.idempotencyKey ? deterministicEventId(context.idempotencyKey, streamName, index) : randomUUID(),
      type,
      data,
      metadata: { ...context.metadata, schemaVersion },
    };
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

export type CommandResult<State, Event> = {
  /** The events this command appended (empty when the decider had nothing new to say). */
  events: Event[];
  /** The stream's state after them. */
  state: State;
  /** Undefined when nothing was appended. */
  appended: AppendResult | undefined;
};

/**
 * Load the stream, decide, append with the revision that was loaded. A conflicting writer
 * makes the append fail with VersionConflict; a command that is safe to re-decide on fresh
 * state passes `retries` and is tried again that many times. Several commands are decided in
 * turn, each on the state the previous one left, and their events appended together.
 */
export const handleCommand = async <Command, State, Event extends MarqueeEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, State, Event>,
  commands: Command | readonly Command[],
  options: AppendContext & { retries?: number; cache?: AggregateCache } = {},
): Promise<CommandResult<State, Event>> => {
  const all = (Array.isArray(commands) ? commands : [commands]) as readonly Command[];
  for (let attempt = 0; ; attempt++) {
    const { state, revision } = await aggregateStream(store, streamName, decider, options.cache);
    let next = state;
    const events: Event[] = [];
    for (const command of all) {
      const decided = decider.decide(command, next);
      events.push(...decided);
      next = decided.reduce(decider.evolve, next);
    }
    if (events.length === 0) return { events, state, appended: undefined };
    try {
      const appended = await appendDecided(
        { eventStore: store, ...(options.cache && { aggregates: options.cache }) },
        streamName,
        decider,
        { state, revision },
        events,
        options,
      );
      return { events, state: next, appended };
    } catch (error) {
      if (!(error instanceof VersionConflict) || attempt >= (options.retries ?? 0)) throw error;
    }
  }
};

/**
 * Appends what a decider decided on a state loaded with `aggregateStream`, expecting the
 * revision it was loaded at, and keeps the cache current: for commands that decide over more
 * than one stream and append each themselves.
 */
export const appendDecided = async <State, Event extends MarqueeEvent>(
  context: { eventStore: EventStore; aggregates?: AggregateCache },
  streamName: string,
  decider: Pick<Decider<unknown, State, Event>, 'evolve'>,
  loaded: { state: State; revision: number | undefined },
  events: readonly Event[],
  append: AppendContext = {},
): Promise<AppendResult | undefined> => {
  if (events.length === 0) return undefined;
  const appended = await context.eventStore.appendToStream(streamName, toEventsToAppend(streamName, events, append), {
    expectedRevision: loaded.revision ?? 'no_stream',
  });
  if (appended.nextExpectedRevision === (loaded.revision ?? -1) + events.length)
    context.aggregates?.set(streamName, {
      state: events.reduce(decider.evolve, loaded.state),
      revision: appended.nextExpectedRevision,
      decider,
    });
  return appended;
};
