import { type EdgeCommand, edgeDecider, streamName } from '@marquee/domain';
import { aggregateStream, createAggregateCache, type EventStore, handleCommand } from '@marquee/platform';

/** The edge's own stream, as its fill agent reads and writes it: every command through `handleCommand`. */
export const openEdgeStream = (eventStore: EventStore, edgeId: string) => {
  const stream = streamName('edge', edgeId);
  const cache = createAggregateCache(4);
  return {
    /** The edge's state; it must have registered before it fills. */
    registered: async () => {
      const { state } = await aggregateStream(eventStore, stream, edgeDecider, cache);
      if (state.status !== 'registered') throw new Error(`edge ${edgeId} must register before it fills`);
      return state;
    },
    decide: (command: EdgeCommand) => handleCommand(eventStore, stream, edgeDecider, command, { retries: 3, cache }),
  };
};

export type EdgeStream = ReturnType<typeof openEdgeStream>;
