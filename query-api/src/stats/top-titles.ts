import { titleStats, titleStatsEntry } from '@marquee/read-models';
import { z } from 'zod';
import { withTitleArt, withTitleArtSchema } from '../catalog/title-art';
import { defineQueryOperation } from '../query-context';
import { asOfParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getTopTitles = defineQueryOperation({
  method: 'get',
  path: '/stats/top-titles',
  summary: 'The most played titles of all time, with their QoE',
  access: ['analyst'],
  query: z.strictObject({ limit: limitParam(10), asOf: asOfParam }),
  response: z.object({ items: z.array(withTitleArtSchema(titleStatsEntry)) }),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    const page = await views(titleStats).find({
      sort: { field: 'plays', direction: 'desc' },
      limit: query.limit,
    });
    return { items: await withTitleArt(views, page.items) };
  },
});
