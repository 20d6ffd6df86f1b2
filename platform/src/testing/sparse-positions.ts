import type { EventStore, RecordedEvent } from '../event-store/event-store';

/**
 * An event store whose positions step by `step` (as EventStoreDB's, which are byte offsets, do),
 * over one whose positions are dense: a test that treats a difference of positions as a number of
 * events fails on it.
 */
export const sparsePositions = (store: EventStore, step = 100): EventStore => {
  const outward = (position: number) => position * step;
  const inward = (position: number) => Math.floor(position / step);
  const spread = (event: RecordedEvent): RecordedEvent => ({ ...event, position: outward(event.position) });
  const spreadAll = async function* (events: AsyncIterable<RecordedEvent>) {
    for await (const event of events) yield spread(event);
  };
  return {
    appendToStream: async (streamName, events, options) => {
      const result = await store.appendToStream(streamName, events, options);
      return { ...result, position: outward(result.position) };
    },
    readStream: (streamName, options) => spreadAll(store.readStream(streamName, options)),
    readAll: (options = {}) =>
      spreadAll(store.readAll({ ...options, ...(typeof options.from === 'number' && { from: inward(options.from) }) })),
    subscribe: (options = {}) => {
      const subscription = store.subscribe({
        ...options,
        ...(typeof options.from === 'number' && { from: inward(options.from) }),
      });
      return {
        [Symbol.asyncIterator]: () => spreadAll(subscription)[Symbol.asyncIterator](),
        close: subscription.close,
      };
    },
    headPosition: async () => outward(await store.headPosition()),
    countEventsAfter: (position, atMost) => store.countEventsAfter(inward(position), atMost),
    close: () => store.close(),
  };
};
