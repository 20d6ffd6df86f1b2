/*
 * UNTIL THE GENERATED TYPES HAVE THEM: the shapes issue 15 adds to the APIs (series, episodes,
 * intro and credits markers, profile maturity levels), written by hand from the agreed contract.
 * Once `npm run generate:api -w player` picks them up from the APIs' OpenAPI documents, each type
 * here is replaced by its generated one in types.ts and this file goes.
 */
import type {
  CatalogTitle,
  ContinueWatchingEntry,
  MaturityRating,
  NewTitle,
  Profile,
  TitleDetail,
  TitleStatus,
  WatchEntry,
} from './types';

/** A stretch of a film or episode, in seconds from its start. */
export type TimeRange = { startSeconds: number; endSeconds: number };

/** Where a title's intro and credits are; either may be unmarked. */
export type Markers = { intro: TimeRange | null; credits: TimeRange | null };

/** Which series an episode belongs to, and where in it. */
export type EpisodeOf = { seriesId: string; seriesName: string; season: number; episode: number };

/** The next published episode the profile may watch. */
export type NextEpisode = { titleId: string; season: number; episode: number; name: string };

/** A profile with its maturity level (absent on accounts read before levels existed). */
export type ProfileWithLevel = Profile & { maturityLevel?: MaturityRating };

/** POST /accounts/:accountId/profiles, with the optional level. */
export type NewProfileWithLevel = { name: string; kids: boolean; maturityLevel?: MaturityRating };

/** PUT /accounts/:accountId/profiles/:profileId/maturity's answer. */
export type MaturityLevelSet = { profileId: string; maturityLevel: MaturityRating };

/**
 * One item of GET /catalog: a film or a series, never an episode. A series' `titleId` is the
 * series' id (what GET /catalog/:id takes); `kind` is absent from APIs older than series.
 */
export type CatalogItem = CatalogTitle & { kind?: 'film' | 'series'; seriesId?: string };

export type SeasonEpisode = {
  titleId: string;
  episode: number;
  name: string;
  synopsis: string;
  durationSeconds: number | null;
  posterPath: string | null;
};

export type Season = { season: number; episodes: SeasonEpisode[] };

/** GET /catalog/:id: a film, a series (with its seasons) or an episode (with its series and the next one). */
export type CatalogEntry = CatalogTitle & {
  kind?: 'film' | 'series' | 'episode';
  seriesId?: string;
  intro?: TimeRange | null;
  credits?: TimeRange | null;
  episodeOf?: EpisodeOf;
  nextEpisode?: NextEpisode | null;
  seasons?: Season[];
};

/** A continue-watching item: for a series, the episode to play next. */
export type ContinueWatchingItem = ContinueWatchingEntry & { episodeOf?: EpisodeOf };

/** A history item: an episode names its series. */
export type HistoryItem = WatchEntry & { episodeOf?: EpisodeOf };

/** GET /titles/:titleId for the content team, with what issue 15 adds. */
export type StudioTitleDetail = TitleDetail & {
  episodeOf?: { seriesId: string; season: number; episode: number } | null;
  markers?: Markers;
  introProposal?: TimeRange | null;
};

/** POST /series: the same metadata as a title. */
export type NewSeries = NewTitle;

/** POST /series/:seriesId/episodes: fields left out are the series'. */
export type NewEpisode = {
  season: number;
  episode: number;
  name: string;
  synopsis?: string;
  genres?: string[];
  year?: number;
  maturityRating?: MaturityRating;
};

export type SeriesCreated = { seriesId: string };
export type EpisodeAdded = { titleId: string; seriesId: string; season: number; episode: number };
export type MarkersSet = { titleId: string } & Markers;

/** An episode as the content team sees it on GET /series/:seriesId, published or not. */
export type StudioEpisode = {
  titleId: string;
  season: number;
  episode: number;
  name: string;
  status?: TitleStatus;
  markers?: Markers;
  introProposal?: TimeRange | null;
};

/** GET /series/:seriesId (and one item of GET /series) for the content team. */
export type StudioSeries = {
  seriesId: string;
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  maturityRating: MaturityRating;
  /** A publish record or a flag (the contract names neither); anything truthy means published. */
  published: boolean | { at: string } | null;
  episodes?: StudioEpisode[];
};
