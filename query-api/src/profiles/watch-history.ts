import { viewPage, watchHistory, watchHistoryEntry } from '@marquee/read-models';
import { z } from 'zod';
import { seriesPlace, seriesPlaceOf } from '../catalog/series-episodes';
import { defineQueryOperation } from '../query-context';
import { asOfParam, cursorParam, idParam, limitParam } from '../query-parameters';
import { readViews, viewReadErrors } from '../view-reader';
import { ownProfile } from './own-profile';
import { allows, placeInCatalog } from './viewing-level';

const historyItem = watchHistoryEntry.extend({
  episodeOf: seriesPlace,
  name: z.string().nullable(),
  posterPath: z.string().nullable(),
});

export const getWatchHistory = defineQueryOperation({
  method: 'get',
  path: '/profiles/:profileId/history',
  summary: "A profile's watch history, latest first",
  description:
    "Episodes name their series and place. Titles above the profile's maturity level as rated now are left out, so a page can hold fewer items than `limit`; follow nextCursor to the end. Only for a profile of the signed-in viewer; any other profile is reported as not found.",
  access: ['viewer'],
  params: z.strictObject({ profileId: idParam('profile') }),
  query: z.strictObject({ limit: limitParam(), cursor: cursorParam, asOf: asOfParam }),
  response: viewPage(historyItem),
  errors: viewReadErrors,
  handle: async ({ params, query, caller, context }) => {
    const views = readViews(context, query.asOf);
    const { maturityLevel: level } = await ownProfile(views, caller.accountId, params.profileId);
    const page = await views(watchHistory).find({
      where: { profileId: params.profileId },
      sort: { field: 'lastWatchedAt', direction: 'desc' },
      limit: query.limit,
      cursor: query.cursor,
    });
    const catalogEntries = await placeInCatalog(
      views,
      page.items.map((row) => row.titleId),
    );
    const items = page.items.flatMap((row) => {
      const placed = catalogEntries.get(row.titleId);
      if (!placed || !allows(level, placed)) return [];
      const { entry } = placed;
      return [{ ...row, episodeOf: seriesPlaceOf(placed), name: entry.name, posterPath: entry.posterPath }];
    });
    return { items, nextCursor: page.nextCursor };
  },
});
