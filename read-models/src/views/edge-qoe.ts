import { defineProjection } from '../projection';
import { addQoE, emptyQoE, type QoE } from './qoe';

/** QoE of the sessions each edge served; `origin` for those the origin served. */
export type EdgeQoE = { edgeId: string; qoe: QoE };

export const originEdgeId = 'origin';

export const edgeQoE = defineProjection<EdgeQoE, 'PlaybackQoEReported'>({
  name: 'edge-qoe',
  version: 1,
  eventTypes: ['PlaybackQoEReported'],
  collection: {},
  key: (event) => event.data.edgeId ?? originEdgeId,
  evolve: (stats, event) => {
    const edgeId = event.data.edgeId ?? originEdgeId;
    return { edgeId, qoe: addQoE(stats?.qoe ?? emptyQoE, event) };
  },
});
