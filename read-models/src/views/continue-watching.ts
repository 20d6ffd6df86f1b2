import { z } from 'zod';
import { defineProjection, type ProjectedEvent } from '../projection';
import { nextWatchEntry, watchHistoryEntry } from './watch-history';

/**
 * A film a profile started and has not finished (it leaves the row once finished), or a series,
 * one row per series: the episode last played and how far. A finished episode stays, marked
 * `completed`, so the reader can offer the episode after it (published and allowed at read time).
 */
export const continueWatchingEntry = watchHistoryEntry.extend({
  progress: z.number().describe('How far through the title, 0 to 1.'),
});
export type ContinueWatchingEntry = z.infer<typeof continueWatchingEntry>;

type PlaybackEvent = ProjectedEvent<'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'>;

/** One row per film, and one per series (`<profileId>:<seriesId>`) whichever episode is played. */
export const continueWatchingKey = (event: PlaybackEvent) =>
  `${event.data.profileId}:${event.data.seriesId ?? event.data.titleId}`;

export const continueWatching = defineProjection<
  ContinueWatchingEntry,
  'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'
>({
  name: 'continue-watching',
  version: 2,
  eventTypes: ['PlaybackStarted', 'PlaybackProgressed', 'PlaybackStopped'],
  collection: { indexes: { profileId: 'value' }, sortFields: ['lastWatchedAt'] },
  key: continueWatchingKey,
  evolve: (entry, event) => {
    // A late heartbeat of an episode's earlier session must not take the row back from the episode now played.
    if (event.type !== 'PlaybackStarted' && entry && entry.titleId !== event.data.titleId) return entry;
    const current = entry?.titleId === event.data.titleId ? entry : undefined;
    const next = nextWatchEntry(current, event, (watched) => ({
      progress: watched.durationSeconds > 0 ? watched.positionSeconds / watched.durationSeconds : 0,
    }));
    if (next === null) return entry ?? null;
    if (next.completed && next.episodeOf === null) return null;
    return next;
  },
});
