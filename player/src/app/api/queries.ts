/** The query API, as the player reads it (through /api/queries). */
import { apiRequest, queryApi, queryString } from './http';
import type {
  Account,
  CatalogQuery,
  CatalogTitle,
  ContinueWatchingEntry,
  EdgeQoe,
  EncodingJob,
  Page,
  TitleDetail,
  TitleStats,
  TitlesQuery,
  TopTitle,
  WatchEntry,
} from './types';

const id = encodeURIComponent;

/** Browsing needs a signed-in viewer (or a staff key): the catalog is for members. */
export const browseCatalog = (token: string, params: Omit<CatalogQuery, 'asOf'> = {}) =>
  apiRequest<Page<CatalogTitle>>(queryApi, `/catalog${queryString(params)}`, { credentials: { token } });

export const catalogTitle = (token: string, titleId: string) =>
  apiRequest<CatalogTitle>(queryApi, `/catalog/${id(titleId)}`, { credentials: { token } });

export const ownAccount = (token: string, accountId: string) =>
  apiRequest<Account>(queryApi, `/accounts/${id(accountId)}`, { credentials: { token } });

export const continueWatching = (token: string, profileId: string) =>
  apiRequest<{ items: ContinueWatchingEntry[] }>(queryApi, `/profiles/${id(profileId)}/continue-watching?limit=20`, {
    credentials: { token },
  });

export const watchHistory = (token: string, profileId: string, cursor?: string) =>
  apiRequest<Page<WatchEntry>>(queryApi, `/profiles/${id(profileId)}/history${queryString({ limit: 50, cursor })}`, {
    credentials: { token },
  });

export const listTitles = (apiKey: string, params: Pick<TitlesQuery, 'q' | 'cursor'> = {}) =>
  apiRequest<Page<TitleDetail>>(queryApi, `/titles${queryString({ limit: 50, ...params })}`, {
    credentials: { apiKey },
  });

export const titleDetail = (apiKey: string, titleId: string) =>
  apiRequest<TitleDetail>(queryApi, `/titles/${id(titleId)}`, { credentials: { apiKey } });

export const encodingStatus = (apiKey: string, titleId: string) =>
  apiRequest<{ titleId: string; encodings: EncodingJob[] }>(queryApi, `/titles/${id(titleId)}/encoding`, {
    credentials: { apiKey },
  });

export const topTitles = (apiKey: string, limit = 10) =>
  apiRequest<{ items: TopTitle[] }>(queryApi, `/stats/top-titles?limit=${limit}`, { credentials: { apiKey } });

export const titleStats = (apiKey: string, titleId: string) =>
  apiRequest<TitleStats>(queryApi, `/stats/titles/${id(titleId)}`, { credentials: { apiKey } });

export const edgeQoe = (apiKey: string) =>
  apiRequest<Page<EdgeQoe>>(queryApi, '/stats/edges?limit=100', { credentials: { apiKey } });
