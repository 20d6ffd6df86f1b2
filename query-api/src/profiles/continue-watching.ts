import { continueWatching, continueWatchingEntry } from '@marquee/read-models';
import { z } from 'zod';
import { withTitleArt, withTitleArtSchema } from '../catalog/title-art';
import { defineQueryOperation } from '../query-context';
import { asOfParam, idParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { assertOwnProfile } from './own-profile';

export const getContinueWatching = defineQueryOperation({
  method: 'get',
  path: '/profiles/:profileId/continue-watching',
  summary: 'The titles a profile started and has not finished, latest first',
  description: 'Only for a profile of the signed-in viewer; any other profile is reported as not found.',
  access: ['viewer'],
  params: z.strictObject({ profileId: idParam('profile') }),
  query: z.strictObject({ limit: limitParam(), asOf: asOfParam }),
  response: z.object({ items: z.array(withTitleArtSchema(continueWatchingEntry)) }),
  errors: viewReadErrors,
  handle: async ({ params, query, caller, context }) => {
    const views = readViews(context, query.asOf);
    await assertOwnProfile(views, caller.accountId, params.profileId);
    const page = await views(continueWatching).find({
      where: { profileId: params.profileId },
      sort: { field: 'lastWatchedAt', direction: 'desc' },
      limit: query.limit,
    });
    return { items: await withTitleArt(views, page.items) };
  },
});
