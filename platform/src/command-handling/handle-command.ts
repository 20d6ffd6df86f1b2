import type { Decider, MarqueeEvent } from '@marquee/domain';
import { type AppendResult, type EventStore, VersionConflict } from '../event-store/event-store';
import { type AggregateCache, aggregateStream } from './aggregate-stream';
import { type AppendContext, toEventsToAppend } from './events-to-append';

export type HandleOptions = {
  /** Times to load, decide and append again after a VersionConflict: for commands safe to re-decide on fresh state. */
  retries?: number;
  /** Folded states to start from, kept current by the appends. */
  cache?: AggregateCache;
};

export type CommandResult<State, Event> = {
  /** The events this command appended (empty when the decider had nothing new to say). */
  events: Event[];
  /** The stream's state after them. */
  state: State;
  /** Undefined when nothing was appended. */
  appended: AppendResult | undefined;
};

/** One of the streams a command decides over: its name, its decider, how its events are appended. */
export type StreamToDecide<State, Event extends MarqueeEvent> = {
  streamName: string;
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>;
  append?: AppendContext;
};

export type AcrossStreamsOptions<Decided> = HandleOptions & {
  /**
   * An append failed for good after an earlier stream's append of the same decision was written:
   * undo what that one granted (the error is thrown after this).
   */
  onIncomplete?: (decided: Decided, error: unknown) => Promise<void>;
};

export type AcrossStreamsResult<States, Decided> = {
  decided: Decided;
  /** Each stream's state after its events. */
  states: States;
  /** Each stream's append; absent for a stream that had nothing to append. */
  appended: { [K in keyof States]?: AppendResult };
};

/** The states of streams given to `handleCommand`, by the same keys. */
export type StatesOf<Streams> = {
  [K in keyof Streams]: Streams[K] extends { decider: { initialState: () => infer State } } ? State : never;
};
type EventOf<Stream> = Stream extends { decider: { evolve: (state: never, event: infer Event) => unknown } }
  ? Event
  : never;

/** Any StreamToDecide, whatever its state and events. */
type AnyStreamToDecide = {
  streamName: string;
  decider: { initialState: () => unknown; evolve: (state: never, event: never) => unknown };
  append?: AppendContext;
};

type LooseStream = StreamToDecide<unknown, MarqueeEvent>;
type LooseDecided = Record<string, readonly MarqueeEvent[] | undefined>;

/**
 * The one command loop: load every stream, decide on their states, append each stream's events
 * in the order the streams are given, expecting the revision it was loaded at.
 */
const decideAndAppend = async (
  store: EventStore,
  streams: Record<string, LooseStream>,
  decide: (states: Record<string, unknown>) => LooseDecided,
  options: AcrossStreamsOptions<LooseDecided>,
): Promise<AcrossStreamsResult<Record<string, unknown>, LooseDecided>> => {
  const entries = Object.entries(streams);
  // What an attempt wrote before failing: a later attempt that fails too must still undo it.
  let written: LooseDecided | undefined;
  for (let attempt = 0; ; attempt++) {
    const loaded = await Promise.all(
      entries.map(([, stream]) => aggregateStream(store, stream.streamName, stream.decider, options.cache)),
    );
    const states: Record<string, unknown> = {};
    for (const [i, [key]] of entries.entries()) states[key] = loaded[i]?.state;
    const after = { ...states };
    const appended: Record<string, AppendResult> = {};
    try {
      const decided = decide(states);
      for (const [i, [key, stream]] of entries.entries()) {
        const events = decided[key] ?? [];
        if (events.length === 0) continue;
        const { state, revision } = loaded[i] as (typeof loaded)[number];
        const result = await store.appendToStream(
          stream.streamName,
          toEventsToAppend(stream.streamName, events, stream.append),
          { expectedRevision: revision ?? 'no_stream' },
        );
        written = decided;
        const next = events.reduce(stream.decider.evolve, state);
        // A retried request is answered with the original append's result: then the stream may
        // hold more than what was folded here, and the cache is left to catch up by reading.
        if (result.nextExpectedRevision === (revision ?? -1) + events.length)
          options.cache?.set(stream.streamName, {
            state: next,
            revision: result.nextExpectedRevision,
            decider: stream.decider,
          });
        after[key] = next;
        appended[key] = result;
      }
      return { decided, states: after, appended };
    } catch (error) {
      if (error instanceof VersionConflict && attempt < (options.retries ?? 0)) continue;
      if (written && options.onIncomplete) await options.onIncomplete(written, error);
      throw error;
    }
  }
};

/**
 * Load, decide, append with the revision that was loaded. A conflicting writer makes the append
 * fail with VersionConflict; with `retries`, the command is loaded and decided again that many
 * times. Two shapes:
 * - one stream: `handleCommand(store, stream, decider, commands, options)`; several commands are
 *   decided in turn, each on the state the previous one left, and their events appended together;
 * - several streams decided together: `handleCommand(store, { account: {…}, playback: {…} }, decide,
 *   options)`; `decide` gets every stream's state and names each stream's events, which are
 *   appended in the order the streams are given (so the account's lease is written first).
 */
export function handleCommand<Command, State, Event extends MarqueeEvent>(
  store: EventStore,
  streamName: string,
  decider: Decider<Command, State, Event>,
  commands: Command | readonly Command[],
  options?: AppendContext & HandleOptions,
): Promise<CommandResult<State, Event>>;
export function handleCommand<
  Streams extends Record<string, AnyStreamToDecide>,
  Decided extends { [K in keyof Streams]?: readonly EventOf<Streams[K]>[] },
>(
  store: EventStore,
  streams: Streams,
  decide: (states: StatesOf<Streams>) => Decided,
  options?: AcrossStreamsOptions<Decided>,
): Promise<AcrossStreamsResult<StatesOf<Streams>, Decided>>;
export async function handleCommand(
  store: EventStore,
  target: string | Record<string, LooseStream>,
  deciderOrDecide: Decider<unknown, unknown, MarqueeEvent> | ((states: Record<string, unknown>) => LooseDecided),
  commandsOrOptions?: unknown,
  singleStreamOptions: AppendContext & HandleOptions = {},
): Promise<CommandResult<unknown, MarqueeEvent> | AcrossStreamsResult<Record<string, unknown>, LooseDecided>> {
  if (typeof target !== 'string')
    return decideAndAppend(
      store,
      target,
      deciderOrDecide as (states: Record<string, unknown>) => LooseDecided,
      (commandsOrOptions ?? {}) as AcrossStreamsOptions<LooseDecided>,
    );
  const decider = deciderOrDecide as Decider<unknown, unknown, MarqueeEvent>;
  const commands = Array.isArray(commandsOrOptions) ? commandsOrOptions : [commandsOrOptions];
  const result = await decideAndAppend(
    store,
    { stream: { streamName: target, decider, append: singleStreamOptions } },
    ({ stream: state }) => {
      let next = state;
      const events: MarqueeEvent[] = [];
      for (const command of commands) {
        const decided = decider.decide(command, next);
        events.push(...decided);
        next = decided.reduce(decider.evolve, next);
      }
      return { stream: events };
    },
    singleStreamOptions,
  );
  return {
    events: (result.decided.stream ?? []) as MarqueeEvent[],
    state: result.states.stream,
    appended: result.appended.stream,
  };
}
