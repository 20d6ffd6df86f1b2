/** The query API, as the player reads it (through /api/queries). */
import { apiRequest, queryApi, queryString } from './http';
import type {
  CatalogEntry,
  CatalogItem,
  ContinueWatchingItem,
  HistoryItem,
  ProfileWithLevel,
  StudioSeries,
  StudioTitleDetail,
} from './series-types';
import type { CatalogQuery, QueryAnswer, TitlesQuery } from './types';

const id = encodeURIComponent;

/*
 * Catalog reads name the profile asking: the query API holds them to its maturity level. The
 * answer types come from series-types.ts until the generated types have profileId, kind,
 * seasons, episodes and markers.
 */

/** Browsing needs a signed-in viewer (or a staff key): the catalog is for members. */
export const browseCatalog = (token: string, profileId: string, params: Omit<CatalogQuery, 'asOf'> = {}) =>
  apiRequest<Omit<QueryAnswer<'getCatalog'>, 'items'> & { items: CatalogItem[] }>(
    queryApi,
    `/catalog${queryString({ ...params, profileId })}`,
    { credentials: { token } },
  );

/** A film, a series with its seasons, or an episode with its series and the next episode. */
export const catalogTitle = (token: string, profileId: string, titleId: string) =>
  apiRequest<CatalogEntry>(queryApi, `/catalog/${id(titleId)}${queryString({ profileId })}`, {
    credentials: { token },
  });

export const ownAccount = (token: string, accountId: string) =>
  apiRequest<Omit<QueryAnswer<'getAccountsByaccountId'>, 'profiles'> & { profiles: ProfileWithLevel[] }>(
    queryApi,
    `/accounts/${id(accountId)}`,
    { credentials: { token } },
  );

export const continueWatching = (token: string, profileId: string) =>
  apiRequest<{ items: ContinueWatchingItem[] }>(queryApi, `/profiles/${id(profileId)}/continue-watching?limit=20`, {
    credentials: { token },
  });

export const watchHistory = (token: string, profileId: string, cursor?: string) =>
  apiRequest<Omit<QueryAnswer<'getProfilesByprofileIdHistory'>, 'items'> & { items: HistoryItem[] }>(
    queryApi,
    `/profiles/${id(profileId)}/history${queryString({ limit: 50, cursor })}`,
    {
      credentials: { token },
    },
  );

export const listTitles = (apiKey: string, params: Pick<TitlesQuery, 'q' | 'cursor'> = {}) =>
  apiRequest<QueryAnswer<'getTitles'>>(queryApi, `/titles${queryString({ limit: 50, ...params })}`, {
    credentials: { apiKey },
  });

export const titleDetail = (apiKey: string, titleId: string) =>
  apiRequest<StudioTitleDetail>(queryApi, `/titles/${id(titleId)}`, { credentials: { apiKey } });

export const listSeries = (apiKey: string) =>
  apiRequest<{ items: StudioSeries[] }>(queryApi, `/series${queryString({ limit: 50 })}`, {
    credentials: { apiKey },
  });

export const seriesDetail = (apiKey: string, seriesId: string) =>
  apiRequest<StudioSeries>(queryApi, `/series/${id(seriesId)}`, { credentials: { apiKey } });

export const encodingStatus = (apiKey: string, titleId: string) =>
  apiRequest<QueryAnswer<'getTitlesBytitleIdEncoding'>>(queryApi, `/titles/${id(titleId)}/encoding`, {
    credentials: { apiKey },
  });

export const topTitles = (apiKey: string, limit = 10) =>
  apiRequest<QueryAnswer<'getStatsTopTitles'>>(queryApi, `/stats/top-titles?limit=${limit}`, {
    credentials: { apiKey },
  });

export const titleStats = (apiKey: string, titleId: string) =>
  apiRequest<QueryAnswer<'getStatsTitlesBytitleId'>>(queryApi, `/stats/titles/${id(titleId)}`, {
    credentials: { apiKey },
  });

export const edgeQoe = (apiKey: string) =>
  apiRequest<QueryAnswer<'getStatsEdges'>>(queryApi, '/stats/edges?limit=100', { credentials: { apiKey } });
