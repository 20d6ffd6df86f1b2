import { type EdgeInventoryEntry, edgeInventory } from '@marquee/projections';
import { z } from 'zod';
import { defineOperation } from '../operation';
import { EdgeNotFound } from '../query-errors';
import { asOfParam, idParam } from '../query-parameters';
import { readViews } from '../view-reader';

export const getEdge = defineOperation({
  path: '/edges/:edgeId',
  summary: 'One edge: its holdings, fills in progress and last failure',
  access: ['content', 'analyst'],
  params: z.strictObject({ edgeId: idParam('edge') }),
  query: z.strictObject({ asOf: asOfParam }),
  handle: async ({ params, query, context }) => {
    const edge = await readViews(context.viewStore, query.asOf).get<EdgeInventoryEntry>(edgeInventory, params.edgeId);
    if (!edge) throw new EdgeNotFound(`There is no edge "${params.edgeId}"; an edge appears once it has registered.`);
    return edge;
  },
});
