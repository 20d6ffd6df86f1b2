import { createPopularityFromDocs, titlePopularity } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { regionParam } from './analytics-window';
import { everyPage, titleNames } from './read-delivery';

export const getPopularity = defineQueryOperation({
  method: 'get',
  path: '/analytics/popularity',
  summary: "A region's predicted popularity now: plays decayed over time, new releases given a prior",
  access: ['analyst'],
  query: z.strictObject({ region: regionParam, limit: limitParam(20), asOf: asOfParam }),
  response: z.object({
    region: z.string().nullable().describe('null: every region together.'),
    at: z.string().describe('The time the scores are decayed to.'),
    items: z.array(
      z.object({
        titleId: z.string(),
        name: z.string().nullable(),
        score: z.number().describe('Predicted plays: recent plays count more, halving every 72 hours.'),
      }),
    ),
  }),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    const published = await everyPage((cursor) =>
      views(titlePopularity).find({ where: { published: true }, limit: 1000, ...(cursor && { cursor }) }),
    );
    const at = context.now();
    const region = query.region ?? null;
    const ranked = createPopularityFromDocs(published).ranked(region, at.getTime()).slice(0, query.limit);
    const nameOf = await titleNames(
      views,
      ranked.map((r) => r.titleId),
    );
    return { region, at: at.toISOString(), items: ranked.map((r) => ({ ...r, name: nameOf(r.titleId) })) };
  },
});
