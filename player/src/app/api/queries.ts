/** The query API, as the player reads it (through /api/queries). */
import { apiRequest, queryApi, queryString } from './http';
import type { CatalogQuery, QueryAnswer, TitlesQuery } from './types';

const id = encodeURIComponent;

/** Browsing needs a signed-in viewer (or a staff key): the catalog is for members. */
export const browseCatalog = (token: string, params: Omit<CatalogQuery, 'asOf'> = {}) =>
  apiRequest<QueryAnswer<'getCatalog'>>(queryApi, `/catalog${queryString(params)}`, { credentials: { token } });

export const catalogTitle = (token: string, titleId: string) =>
  apiRequest<QueryAnswer<'getCatalogBytitleId'>>(queryApi, `/catalog/${id(titleId)}`, { credentials: { token } });

export const ownAccount = (token: string, accountId: string) =>
  apiRequest<QueryAnswer<'getAccountsByaccountId'>>(queryApi, `/accounts/${id(accountId)}`, { credentials: { token } });

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
