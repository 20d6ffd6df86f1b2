import { type CatalogEntry, catalog } from '@marquee/projections';
import { z } from 'zod';
import { anyone, defineOperation } from '../operation';
import { TitleNotFound } from '../query-errors';
import { asOfParam, idParam } from '../query-parameters';
import { readViews } from '../view-reader';
import { publicTitle } from './public-title';

export const getCatalogTitle = defineOperation({
  path: '/catalog/:titleId',
  summary: 'One published title',
  access: anyone,
  params: z.strictObject({ titleId: idParam('title') }),
  query: z.strictObject({ asOf: asOfParam }),
  handle: async ({ params, query, context }) => {
    const entry = await readViews(context.viewStore, query.asOf).get<CatalogEntry>(catalog, params.titleId);
    // An unpublished title is as absent to viewers as one that never existed.
    if (!entry?.published) throw new TitleNotFound(`There is no published title "${params.titleId}" in the catalog.`);
    return publicTitle(entry);
  },
});
