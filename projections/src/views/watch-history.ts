import { defineProjection, type ProjectedEvent } from '../projection';

/** A profile's last session with a title. */
export type WatchHistoryEntry = {
  profileId: string;
  accountId: string;
  titleId: string;
  positionSeconds: number;
  durationSeconds: number;
  completed: boolean;
  lastWatchedAt: string;
  sessions: number;
};

/** Watched to within 5% of the end (the credits) counts as finished. */
export const isCompleted = (positionSeconds: number, durationSeconds: number) =>
  positionSeconds >= durationSeconds * 0.95;

type PlaybackEvent = ProjectedEvent<'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'>;

export const watchKey = (event: PlaybackEvent) => `${event.data.profileId}:${event.data.titleId}`;

/** The entry after one playback event: shared by history and continue watching. */
export const nextWatchEntry = (
  entry: WatchHistoryEntry | undefined,
  event: PlaybackEvent,
): WatchHistoryEntry | null => {
  const { profileId, accountId, titleId, at } = event.data;
  if (event.type === 'PlaybackStarted') {
    const { durationSeconds, resumeFromSeconds } = event.data;
    return {
      profileId,
      accountId,
      titleId,
      durationSeconds,
      positionSeconds: resumeFromSeconds,
      completed: isCompleted(resumeFromSeconds, durationSeconds),
      lastWatchedAt: at,
      sessions: (entry?.sessions ?? 0) + 1,
    };
  }
  if (!entry) return null;
  const positionSeconds = Math.min(event.data.positionSeconds, entry.durationSeconds);
  return {
    ...entry,
    positionSeconds,
    completed: isCompleted(positionSeconds, entry.durationSeconds),
    lastWatchedAt: at,
  };
};

export const watchHistory = defineProjection<
  WatchHistoryEntry,
  'PlaybackStarted' | 'PlaybackProgressed' | 'PlaybackStopped'
>({
  name: 'watch-history',
  version: 1,
  eventTypes: ['PlaybackStarted', 'PlaybackProgressed', 'PlaybackStopped'],
  collection: { indexes: { profileId: 'value', completed: 'value' }, sortFields: ['lastWatchedAt'] },
  key: watchKey,
  evolve: nextWatchEntry,
});
