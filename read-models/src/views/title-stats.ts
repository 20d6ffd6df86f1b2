import { z } from 'zod';
import { dayOf, defineProjection } from '../projection';
import { addQoE, emptyQoE, qoe } from './qoe';

/** Plays per day and QoE for one title, for analysts. */
export const titleStatsEntry = z.object({
  titleId: z.string(),
  plays: z.number(),
  playsByDay: z.record(z.string(), z.number()),
  qoe,
});
export type TitleStats = z.infer<typeof titleStatsEntry>;

export const titleStats = defineProjection<TitleStats, 'PlaybackStarted' | 'PlaybackQoEReported'>({
  name: 'title-stats',
  version: 1,
  eventTypes: ['PlaybackStarted', 'PlaybackQoEReported'],
  collection: { sortFields: ['plays'] },
  key: (event) => event.data.titleId,
  evolve: (stats, event) => {
    const current = stats ?? { titleId: event.data.titleId, plays: 0, playsByDay: {}, qoe: emptyQoE };
    if (event.type === 'PlaybackQoEReported') return { ...current, qoe: addQoE(current.qoe, event) };
    const day = dayOf(event.data.at);
    return {
      ...current,
      plays: current.plays + 1,
      playsByDay: { ...current.playsByDay, [day]: (current.playsByDay[day] ?? 0) + 1 },
    };
  },
});
