import { anyone } from '@marquee/platform';
import { catalog, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, limitParam, oneOf, searchParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { asPublicTitle, publicTitle } from './public-title';

const sorts = {
  popularity: { field: 'popularity', direction: 'desc' },
  recency: { field: 'publishedAt', direction: 'desc' },
  name: { field: 'name', direction: 'asc' },
} as const;

export const browseCatalog = defineQueryOperation({
  method: 'get',
  path: '/catalog',
  summary: 'Browse the published titles',
  description: 'Published titles only, filtered by genre and name, most popular first unless sorted otherwise.',
  access: anyone,
  query: z.strictObject({
    genre: z
      .string()
      .min(1, 'must not be empty')
      .max(40, 'must be at most 40 characters')
      .optional()
      .describe('Only titles in this genre.'),
    q: searchParam,
    sort: oneOf(['popularity', 'recency', 'name'])
      .default('popularity')
      .describe('popularity: most played in the last 7 days first; recency: latest published first; name: A to Z.'),
    limit: limitParam(),
    cursor: cursorParam,
    asOf: asOfParam,
  }),
  response: viewPage(publicTitle),
  errors: viewReadErrors,
  handle: async ({ query, context }) => {
    const views = readViews(context, query.asOf);
    return views(catalog).find(
      {
        where: { published: true, ...(query.genre !== undefined && { genres: query.genre }) },
        search: query.q,
        sort: sorts[query.sort],
        limit: query.limit,
        cursor: query.cursor,
      },
      asPublicTitle,
    );
  },
});
