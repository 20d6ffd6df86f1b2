import { titleDetail, titleDetailDocument, titleStatuses, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, limitParam, oneOf, searchParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const listTitles = defineQueryOperation({
  method: 'get',
  path: '/titles',
  summary: 'Every title, published or not, for the content team',
  description: 'Most recently changed first, with uploads, encodings and their failures.',
  access: ['content'],
  query: z.strictObject({
    status: oneOf(titleStatuses).optional().describe('Only titles at this point of their life.'),
    q: searchParam,
    limit: limitParam(),
    cursor: cursorParam,
    asOf: asOfParam,
  }),
  response: viewPage(titleDetailDocument),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    return views(titleDetail).find({
      where: query.status === undefined ? {} : { status: query.status },
      search: query.q,
      sort: { field: 'updatedAt', direction: 'desc' },
      limit: query.limit,
      cursor: query.cursor,
    });
  },
});
