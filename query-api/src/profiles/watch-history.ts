import { viewPage, watchHistory, watchHistoryEntry } from '@marquee/read-models';
import { z } from 'zod';
import { withTitleArt, withTitleArtSchema } from '../catalog/title-art';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, idParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { assertOwnProfile } from './own-profile';

export const getWatchHistory = defineQueryOperation({
  method: 'get',
  path: '/profiles/:profileId/history',
  summary: "A profile's watch history, latest first",
  description: 'Only for a profile of the signed-in viewer; any other profile is reported as not found.',
  access: ['viewer'],
  params: z.strictObject({ profileId: idParam('profile') }),
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, asOf: asOfParam }),
  response: viewPage(withTitleArtSchema(watchHistoryEntry)),
  errors: viewReadErrors,
  handle: async ({ params, query, caller, context }) => {
    const views = readViews(context, query.asOf);
    await assertOwnProfile(views, caller.accountId, params.profileId);
    const page = await views(watchHistory).find({
      where: { profileId: params.profileId },
      sort: { field: 'lastWatchedAt', direction: 'desc' },
      limit: query.limit,
      cursor: query.cursor,
    });
    return { items: await withTitleArt(views, page.items), nextCursor: page.nextCursor };
  },
});
