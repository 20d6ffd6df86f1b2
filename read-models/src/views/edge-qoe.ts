import { z } from 'zod';
import { defineProjection } from '../projection';
import { addQoE, emptyQoE, qoe } from './qoe';

/** QoE of the sessions each edge served; `origin` for those the origin served. */
export const edgeQoEEntry = z.object({ edgeId: z.string(), qoe });
export type EdgeQoE = z.infer<typeof edgeQoEEntry>;

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
