import { type TitleDetail, titleDetail } from '@marquee/projections';
import { z } from 'zod';
import { defineOperation } from '../operation';
import { TitleNotFound } from '../query-errors';
import { asOfParam, idParam } from '../query-parameters';
import { readViews } from '../view-reader';

export const getTitleDetail = defineOperation({
  path: '/titles/:titleId',
  summary: 'One title with its uploads, encodings and failures',
  access: ['content'],
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ asOf: asOfParam }),
  handle: async ({ params, query, context }) => {
    const detail = await readViews(context.viewStore, query.asOf).get<TitleDetail>(titleDetail, params.titleId);
    if (!detail) throw new TitleNotFound(`There is no title "${params.titleId}".`);
    return detail;
  },
});
