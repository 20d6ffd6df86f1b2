import type { WatchEntry } from '../api/types';

/**
 * The history page's entries: a film on its own, an episode under its series. A series sits
 * where its most recently watched episode would (the items come newest first), with its
 * episodes in that same order.
 */
export type HistoryGroup =
  | { kind: 'title'; entry: WatchEntry }
  | { kind: 'series'; seriesId: string; seriesName: string; entries: WatchEntry[] };

export const groupHistory = (items: readonly WatchEntry[]): HistoryGroup[] => {
  const groups: HistoryGroup[] = [];
  const seriesGroups = new Map<string, Extract<HistoryGroup, { kind: 'series' }>>();
  for (const entry of items) {
    if (!entry.episodeOf) {
      groups.push({ kind: 'title', entry });
      continue;
    }
    const { seriesId, seriesName } = entry.episodeOf;
    const group = seriesGroups.get(seriesId);
    if (group) group.entries.push(entry);
    else {
      const made = { kind: 'series' as const, seriesId, seriesName, entries: [entry] };
      seriesGroups.set(seriesId, made);
      groups.push(made);
    }
  }
  return groups;
};
