import { anyone, NotFound } from '@marquee/platform';
import { catalog } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { asPublicTitle, publicTitle } from './public-title';

export const getCatalogTitle = defineQueryOperation({
  method: 'get',
  path: '/catalog/:titleId',
  summary: 'One published title',
  access: anyone,
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ asOf: asOfParam }),
  response: publicTitle,
  errors: viewReadErrors,
  handle: async ({ params, query, context }) => {
    const views = readViews(context, query.asOf);
    const entry = await views(catalog).get(params.titleId);
    // An unpublished title is as absent to viewers as one that never existed.
    if (!entry?.published)
      throw new NotFound(`There is no published title "${params.titleId}" in the catalog.`, { code: 'TitleNotFound' });
    return asPublicTitle(entry);
  },
});
