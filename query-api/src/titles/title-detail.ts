import { NotFound } from '@marquee/platform';
import { titleDetail, titleDetailDocument } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';

export const getTitleDetail = defineQueryOperation({
  method: 'get',
  path: '/titles/:titleId',
  summary: 'One title with its uploads, encodings and failures',
  access: ['content'],
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: titleDetailDocument,
  errors: viewReadErrors,
  handle: async ({ params, query, context }) => {
    const views = readViews(context, query.asOf);
    const detail = await views(titleDetail).get(params.titleId);
    if (!detail) throw new NotFound(`There is no title "${params.titleId}".`, { code: 'TitleNotFound' });
    return detail;
  },
});
