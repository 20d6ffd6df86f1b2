import { type EventStore, matchesFilter, type RecordedEvent } from '@marquee/platform';

/** A log in memory for the simulator's unit tests: appends (an id seen before is skipped), readAll with a filter, head. */
export const createMemoryLog = () => {
  const events: RecordedEvent[] = [];
  const ids = new Set<string>();
  const log: Pick<EventStore, 'appendToStream' | 'readAll' | 'headPosition'> = {
    appendToStream: async (streamName, toAppend) => {
      for (const event of toAppend) {
        if (ids.has(`${streamName}/${event.id}`)) continue;
        ids.add(`${streamName}/${event.id}`);
        events.push({
          ...event,
          streamName,
          revision: 0,
          position: events.length + 1,
          metadata: event.metadata ?? {},
          createdAt: new Date(0),
        });
      }
      return { nextExpectedRevision: 0, position: events.length };
    },
    readAll: async function* (options) {
      for (const event of events) if (matchesFilter(options?.filter, event)) yield event;
    },
    headPosition: async () => events.length,
  };
  return log;
};
