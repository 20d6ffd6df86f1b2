import { edgeInventory, edgeInventoryEntry, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, idParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const listEdges = defineQueryOperation({
  method: 'get',
  path: '/edges',
  summary: 'The edge inventory: what each edge holds, is filling, and its last failure',
  access: ['content', 'analyst'],
  query: z.strictObject({
    titleId: idParam('title').optional().describe('Only edges holding a complete copy of this title.'),
    region: z
      .string()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .optional()
      .describe('Only edges in this region.'),
    limit: limitParam(),
    cursor: cursorParam,
    asOf: asOfParam,
  }),
  response: viewPage(edgeInventoryEntry),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    return views(edgeInventory).find({
      where: {
        ...(query.titleId !== undefined && { heldTitles: query.titleId }),
        ...(query.region !== undefined && { region: query.region }),
      },
      limit: query.limit,
      cursor: query.cursor,
    });
  },
});
