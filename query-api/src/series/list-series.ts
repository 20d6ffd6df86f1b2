import { seriesDetail, seriesDetailDocument, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, limitParam, searchParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const listSeries = defineQueryOperation({
  method: 'get',
  path: '/series',
  summary: 'Every series, published or not, for the content team',
  description: 'Most recently changed first.',
  access: ['content'],
  query: z.strictObject({
    published: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .optional()
      .describe('Only published (true) or unpublished (false) series.'),
    q: searchParam,
    limit: limitParam(),
    cursor: cursorParam,
    asOf: asOfParam,
  }),
  response: viewPage(seriesDetailDocument),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    return views(seriesDetail).find({
      where: query.published === undefined ? {} : { published: query.published === 'true' },
      search: query.q,
      sort: { field: 'updatedAt', direction: 'desc' },
      limit: query.limit,
      cursor: query.cursor,
    });
  },
});
