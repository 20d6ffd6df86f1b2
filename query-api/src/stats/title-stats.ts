import { NotFound } from '@marquee/platform';
import { catalog, emptyQoE, titleStats, titleStatsEntry } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getTitleStats = defineQueryOperation({
  method: 'get',
  path: '/stats/titles/:titleId',
  summary: "One title's plays per day and QoE",
  access: ['analyst'],
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: titleStatsEntry.extend({ name: z.string().nullable() }),
  errors: viewReadErrors,
  handle: async ({ params, query, context }) => {
    const views = readViews(context, query.asOf);
    const [stats, title] = await Promise.all([
      views(titleStats).get(params.titleId),
      views(catalog).get(params.titleId),
    ]);
    if (!stats && !title) throw new NotFound(`There is no title "${params.titleId}".`, { code: 'TitleNotFound' });
    // A title nobody has played yet has no stats document: it has zero plays, not no title.
    const { plays, playsByDay, qoe } = stats ?? { plays: 0, playsByDay: {}, qoe: emptyQoE };
    return { titleId: params.titleId, name: title?.name ?? null, plays, playsByDay, qoe };
  },
});
