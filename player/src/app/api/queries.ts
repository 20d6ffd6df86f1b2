/** The query API, as the player reads it (through /api/queries). */
import { apiRequest, queryApi, queryString } from './http';
import type {
  CatalogQuery,
  DeliveryQuery,
  OffloadReport,
  OriginTitle,
  PopularityReport,
  QueryAnswer,
  TitlesQuery,
} from './types';

const id = encodeURIComponent;

/* Catalog reads name the profile asking: the query API holds them to its maturity level. */

/** Browsing needs a signed-in viewer (or a staff key): the catalog is for members. */
export const browseCatalog = (
  token: string,
  profileId: string,
  params: Omit<CatalogQuery, 'asOf' | 'profileId'> = {},
) =>
  apiRequest<QueryAnswer<'getCatalog'>>(queryApi, `/catalog${queryString({ ...params, profileId })}`, {
    credentials: { token },
  });

/** A film, a series with its seasons, or an episode with its series and the next episode. */
export const catalogTitle = (token: string, profileId: string, titleId: string) =>
  apiRequest<QueryAnswer<'getCatalogBytitleId'>>(queryApi, `/catalog/${id(titleId)}${queryString({ profileId })}`, {
    credentials: { token },
  });

export const ownAccount = (token: string, accountId: string) =>
  apiRequest<QueryAnswer<'getAccountsByaccountId'>>(queryApi, `/accounts/${id(accountId)}`, {
    credentials: { token },
  });

export const continueWatching = (token: string, profileId: string) =>
  apiRequest<QueryAnswer<'getProfilesByprofileIdContinueWatching'>>(
    queryApi,
    `/profiles/${id(profileId)}/continue-watching?limit=20`,
    {
      credentials: { token },
    },
  );

export const watchHistory = (token: string, profileId: string, cursor?: string) =>
  apiRequest<QueryAnswer<'getProfilesByprofileIdHistory'>>(
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
  apiRequest<QueryAnswer<'getTitlesBytitleId'>>(queryApi, `/titles/${id(titleId)}`, { credentials: { apiKey } });

export const listSeries = (apiKey: string) =>
  apiRequest<QueryAnswer<'getSeries'>>(queryApi, `/series${queryString({ limit: 50 })}`, {
    credentials: { apiKey },
  });

export const seriesDetail = (apiKey: string, seriesId: string) =>
  apiRequest<QueryAnswer<'getSeriesByseriesId'>>(queryApi, `/series/${id(seriesId)}`, { credentials: { apiKey } });

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

/** Offload and misses by class over a window: totals, per region and over time. */
export const offloadReport = (apiKey: string, params: DeliveryQuery = {}) =>
  apiRequest<OffloadReport>(queryApi, `/analytics/offload${queryString(params)}`, { credentials: { apiKey } });

/** The titles that cost the origin the most bytes, most first. */
export const originTitles = (apiKey: string, params: DeliveryQuery & { limit?: number } = {}) =>
  apiRequest<{ items: OriginTitle[] }>(queryApi, `/analytics/origin-titles${queryString({ limit: 10, ...params })}`, {
    credentials: { apiKey },
  });

/** A region's predicted demand, as the popularity fill ranks it. */
export const popularityReport = (apiKey: string, region: string | null, limit = 10) =>
  apiRequest<PopularityReport>(queryApi, `/analytics/popularity${queryString({ region, limit })}`, {
    credentials: { apiKey },
  });
