import { dayOf, defineProjection } from '../projection';
import { addQoE, emptyQoE, type QoE } from './qoe';

/** Plays per day and QoE for one title, for analysts. */
export type TitleStats = { titleId: string; plays: number; playsByDay: Record<string, number>; qoe: QoE };

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
