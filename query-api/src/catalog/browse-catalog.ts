import { anyone } from '@marquee/platform';
import { catalog, viewPage } from '@marquee/read-models';
import { z } from 'zod';
import { profileIdParam, viewingLevel } from '../profiles/viewing-level';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, limitParam, oneOf, searchParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { asPublicTitles, publicTitle } from './public-title';

const sorts = {
  popularity: { field: 'popularity', direction: 'desc' },
  recency: { field: 'publishedAt', direction: 'desc' },
  name: { field: 'name', direction: 'asc' },
} as const;

export const browseCatalog = defineQueryOperation({
  method: 'get',
  path: '/catalog',
  summary: 'Browse the published films and series',
  description:
    'Published films and series (a series once, never its episodes), filtered by genre and name, most popular first unless sorted otherwise. With `profileId`, only what that profile may watch.',
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
    profileId: profileIdParam,
    limit: limitParam(),
    cursor: cursorParam,
    asOf: asOfParam,
  }),
  response: viewPage(publicTitle),
  errors: { ...viewReadErrors, 403: 'profileId was given by a caller that is not a viewer.' },
  handle: async ({ query, caller, context }) => {
    const views = readViews(context, query.asOf);
    const level = await viewingLevel(views, caller, query.profileId);
    const page = await views(catalog).find({
      where: {
        listed: true,
        ...(level !== null && { viewableBy: level }),
        ...(query.genre !== undefined && { genres: query.genre }),
      },
      search: query.q,
      sort: sorts[query.sort],
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: await asPublicTitles(views, level, page.items), nextCursor: page.nextCursor };
  },
});
