import { z } from 'zod';
import { defineProjection, type ProjectedEvent } from '../projection';
import { episodePlaceOrNull } from './title-fields';

/** A profile's last session with a title. */
export const watchHistoryEntry = z.object({
  profileId: z.string(),
  accountId: z.string(),
  titleId: z.string(),
  episodeOf: episodePlaceOrNull,
  positionSeconds: z.number(),
  durationSeconds: z.number(),
  completed: z.boolean(),
  lastWatchedAt: z.string(),
  sessions: z.number(),
});
export type WatchHistoryEntry = z.infer<typeof watchHistoryEntry>;

/** Watched to within 5% of the end (the credits) counts as finished. */
export const isCompleted = (positionSeconds: number, durationSeconds: number) =>
  positionSeconds >= durationSeconds * 0.95;

type PlaybackEvent = ProjectedEvent<'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'>;

export const watchKey = (event: PlaybackEvent) => `${event.data.profileId}:${event.data.titleId}`;

/**
 * The entry after one playback event, shared by history and continue watching; `extend` adds
 * a view's own fields in the same object (a replay makes one per heartbeat, so it counts).
 */
export const nextWatchEntry = <Extra extends object = Record<never, never>>(
  entry: (WatchHistoryEntry & Extra) | undefined,
  event: PlaybackEvent,
  extend: (entry: WatchHistoryEntry) => Extra = () => ({}) as Extra,
): (WatchHistoryEntry & Extra) | null => {
  const { profileId, accountId, titleId, at } = event.data;
  let next: WatchHistoryEntry;
  if (event.type === 'PlaybackStarted') {
    const { durationSeconds, resumeFromSeconds } = event.data;
    next = {
      profileId,
      accountId,
      titleId,
      episodeOf: event.data.episodeOf ?? null,
      durationSeconds,
      positionSeconds: resumeFromSeconds,
      completed: isCompleted(resumeFromSeconds, durationSeconds),
      lastWatchedAt: at,
      sessions: (entry?.sessions ?? 0) + 1,
    };
  } else {
    if (!entry) return null;
    const positionSeconds = Math.min(event.data.positionSeconds, entry.durationSeconds);
    next = {
      profileId: entry.profileId,
      accountId: entry.accountId,
      titleId: entry.titleId,
      episodeOf: entry.episodeOf,
      durationSeconds: entry.durationSeconds,
      positionSeconds,
      completed: isCompleted(positionSeconds, entry.durationSeconds),
      lastWatchedAt: at,
      sessions: entry.sessions,
    };
  }
  return Object.assign(next, extend(next));
};

export const watchHistory = defineProjection<
  WatchHistoryEntry,
  'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'
>({
  name: 'watch-history',
  version: 2,
  eventTypes: ['PlaybackStarted', 'PlaybackProgressed', 'PlaybackStopped'],
  collection: { indexes: { profileId: 'value', completed: 'value' }, sortFields: ['lastWatchedAt'] },
  key: watchKey,
  evolve: (entry, event) => nextWatchEntry(entry, event),
});
