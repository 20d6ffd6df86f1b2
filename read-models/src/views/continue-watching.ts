import { z } from 'zod';
import { defineProjection } from '../projection';
import { nextWatchEntry, watchHistoryEntry, watchKey } from './watch-history';

/** A title a profile started and has not finished; it leaves the row once finished. */
export const continueWatchingEntry = watchHistoryEntry.extend({
  progress: z.number().describe('How far through the title, 0 to 1.'),
});
export type ContinueWatchingEntry = z.infer<typeof continueWatchingEntry>;

export const continueWatching = defineProjection<
  ContinueWatchingEntry,
  'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'
>({
  name: 'continue-watching',
  version: 1,
  eventTypes: ['PlaybackStarted', 'PlaybackProgressed', 'PlaybackStopped'],
  collection: { indexes: { profileId: 'value' }, sortFields: ['lastWatchedAt'] },
  key: watchKey,
  evolve: (entry, event) => {
    const next = nextWatchEntry(entry, event, (watched) => ({
      progress: watched.durationSeconds > 0 ? watched.positionSeconds / watched.durationSeconds : 0,
    }));
    return next === null || next.completed ? null : next;
  },
});
