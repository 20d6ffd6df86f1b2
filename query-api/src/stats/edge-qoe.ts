import { edgeInventory, edgeQoE, edgeQoEEntry, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getEdgeQoE = defineQueryOperation({
  method: 'get',
  path: '/stats/edges',
  summary: 'QoE of the sessions each edge served ("origin" for those the origin served)',
  access: ['analyst'],
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, asOf: asOfParam }),
  response: viewPage(edgeQoEEntry.extend({ region: z.string().nullable().describe('null for the origin.') })),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    const page = await views(edgeQoE).find({ limit: query.limit, cursor: query.cursor });
    const edges = await views(edgeInventory).getMany(page.items.map((item) => item.edgeId));
    return {
      items: page.items.map((item) => ({ ...item, region: edges.get(item.edgeId)?.region ?? null })),
      nextCursor: page.nextCursor,
    };
  },
});
