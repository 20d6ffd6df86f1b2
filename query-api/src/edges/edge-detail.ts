import { NotFound } from '@marquee/platform';
import { edgeInventory, edgeInventoryEntry } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getEdge = defineQueryOperation({
  method: 'get',
  path: '/edges/:edgeId',
  summary: 'One edge: its holdings, fills in progress and last failure',
  access: ['content', 'analyst'],
  params: z.strictObject({ edgeId: idParam('edge') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: edgeInventoryEntry,
  errors: viewReadErrors,
  handle: async ({ params, query, context }) => {
    const views = readViews(context, query.asOf);
    const edge = await views(edgeInventory).get(params.edgeId);
    if (!edge)
      throw new NotFound(`There is no edge "${params.edgeId}"; an edge appears once it has registered.`, {
        code: 'EdgeNotFound',
      });
    return edge;
  },
});
