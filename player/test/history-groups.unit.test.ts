import { describe, expect, it } from 'vitest';
import type { WatchEntry } from '../src/app/api/types';
import { groupHistory } from '../src/app/history/history-groups';

const watched = (titleId: string, episodeOf: WatchEntry['episodeOf'] = null): WatchEntry => ({
  accountId: 'a1',
  profileId: 'p1',
  titleId,
  name: titleId,
  posterPath: null,
  completed: false,
  durationSeconds: 600,
  positionSeconds: 60,
  lastWatchedAt: '2026-01-01T00:00:00.000Z',
  sessions: 1,
  episodeOf,
});
const of = (seriesId: string, season: number, episode: number) => ({
  seriesId,
  seriesName: `Series ${seriesId}`,
  season,
  episode,
});

describe('history groups', () => {
  it('puts episodes under their series, where its newest episode was, and films on their own', () => {
    const groups = groupHistory([
      watched('e2', of('s1', 1, 2)),
      watched('film'),
      watched('x1', of('s2', 1, 1)),
      watched('e1', of('s1', 1, 1)),
    ]);
    expect(
      groups.map((group) =>
        group.kind === 'title' ? group.entry.titleId : [group.seriesName, group.entries.map((e) => e.titleId)],
      ),
    ).toEqual([['Series s1', ['e2', 'e1']], 'film', ['Series s2', ['x1']]]);
  });

  it('is empty for no history', () => {
    expect(groupHistory([])).toEqual([]);
  });
});
