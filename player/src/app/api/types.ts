/*
 * The shapes the player sends and reads, all from the types generated from the APIs' own
 * OpenAPI documents (`generated/`, made by `npm run generate:api -w player`): the bodies and
 * query parameters it sends, and the answers it reads, which the APIs' tests check every answer
 * against. A changed API fails the player's typecheck; no API shape is written out here.
 */
import type { operations as CommandOperations } from './generated/command-api';
import type { operations as QueryOperations } from './generated/query-api';

type JsonBody<Operation> = Operation extends { requestBody: { content: { 'application/json': infer Body } } }
  ? Body
  : never;
type QueryOf<Operation> = Operation extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
type SuccessBody<Responses> = Responses extends { 200: { content: { 'application/json': infer Body } } }
  ? Body
  : Responses extends { 201: { content: { 'application/json': infer Body } } }
    ? Body
    : never;

/** What an operation of the command API answers on success, by its operationId. */
export type CommandAnswer<Id extends keyof CommandOperations> = SuccessBody<CommandOperations[Id]['responses']>;
/** What an operation of the query API answers on success, by its operationId. */
export type QueryAnswer<Id extends keyof QueryOperations> = SuccessBody<QueryOperations[Id]['responses']>;

export type SignUpBody = JsonBody<CommandOperations['postAccounts']>;
export type LogInBody = JsonBody<CommandOperations['postLogin']>;
export type NewProfile = JsonBody<CommandOperations['postAccountsByaccountIdProfiles']>;
export type StartPlaybackBody = JsonBody<CommandOperations['postPlayback']>;
export type HeartbeatBody = JsonBody<CommandOperations['postPlaybackBysessionIdProgress']>;
export type QoeBody = JsonBody<CommandOperations['postPlaybackBysessionIdQoe']>;
export type StopPlaybackBody = JsonBody<CommandOperations['postPlaybackBysessionIdStop']>;
export type NewTitle = JsonBody<CommandOperations['postTitles']>;
export type NewSeries = JsonBody<CommandOperations['postSeries']>;
/** POST /series/:seriesId/episodes: fields left out are the series'. */
export type NewEpisode = JsonBody<CommandOperations['postSeriesByseriesIdEpisodes']>;
export type MarkersBody = JsonBody<CommandOperations['putTitlesBytitleIdMarkers']>;
export type MaturityLevelBody = JsonBody<CommandOperations['putAccountsByaccountIdProfilesByprofileIdMaturity']>;
export type CatalogQuery = QueryOf<QueryOperations['getCatalog']>;
export type TitlesQuery = QueryOf<QueryOperations['getTitles']>;

export type PlanId = SignUpBody['plan'];

/** What each plan gives, as the domain defines it (shown on the sign-up form). */
export const planDescriptions: Record<PlanId, { label: string; quality: string; streams: number }> = {
  basic: { label: 'Basic', quality: 'HD 720p', streams: 1 },
  standard: { label: 'Standard', quality: 'Full HD 1080p', streams: 2 },
  premium: { label: 'Premium', quality: 'Ultra HD 4K', streams: 4 },
};
export const planIds = Object.keys(planDescriptions) as PlanId[];

export type MaturityRating = NewTitle['maturityRating'];

// A record, so a rating the API adds is a type error here until the form lists it.
const everyMaturityRating: Record<MaturityRating, true> = {
  all: true,
  '7+': true,
  '13+': true,
  '16+': true,
  '18+': true,
};
export const maturityRatings = Object.keys(everyMaturityRating) as MaturityRating[];

/** Login's answer; sign-up's is the same with a plan always set. */
export type SignedIn = CommandAnswer<'postLogin'>;

/** A profile, with its maturity level: the highest rating it may watch. */
export type Profile = QueryAnswer<'getAccountsByaccountId'>['profiles'][number];
/** A film or series as browse and search list it (a series' id is in `titleId`). */
export type CatalogTitle = QueryAnswer<'getCatalog'>['items'][number];
/** One film, series or episode as its page shows it: a series with its seasons, an episode with its next. */
export type CatalogTitlePage = QueryAnswer<'getCatalogBytitleId'>;
export type Season = NonNullable<CatalogTitlePage['seasons']>[number];
export type SeasonEpisode = Season['episodes'][number];
/** Which series an episode belongs to, and where in it. */
export type EpisodeOf = NonNullable<CatalogTitlePage['episodeOf']>;
/** The next published episode the profile may watch. */
export type NextEpisode = NonNullable<CatalogTitlePage['nextEpisode']>;
/** A history item: an episode names its series. */
export type WatchEntry = QueryAnswer<'getProfilesByprofileIdHistory'>['items'][number];
/** A continue-watching item: for a series, the episode to play next. */
export type ContinueWatchingEntry = QueryAnswer<'getProfilesByprofileIdContinueWatching'>['items'][number];
export type TitleDetail = QueryAnswer<'getTitlesBytitleId'>;
export type TitleStatus = TitleDetail['status'];
/** Where a title's intro and credits are; either may be unmarked. */
export type Markers = TitleDetail['markers'];
/** A stretch of a film or episode, in seconds from its start. */
export type TimeRange = NonNullable<Markers['intro']>;
/** A series as the content team's list has it (its episodes by id and place only). */
export type SeriesSummary = QueryAnswer<'getSeries'>['items'][number];
/** A series with every episode, published or not, for the content team. */
export type SeriesDetail = QueryAnswer<'getSeriesByseriesId'>;
export type EncodingJob = QueryAnswer<'getTitlesBytitleIdEncoding'>['encodings'][number];
export type TopTitle = QueryAnswer<'getStatsTopTitles'>['items'][number];
export type TitleStats = QueryAnswer<'getStatsTitlesBytitleId'>;
export type EdgeQoe = QueryAnswer<'getStatsEdges'>['items'][number];

/** The CDN's delivery figures: what edges and the origin delivered to viewers, and the misses by class. */
export type OffloadReport = QueryAnswer<'getAnalyticsOffload'>;
export type DeliveryFigures = Omit<OffloadReport['totals'], 'originEgressBytes'>;
export type MissFigures = DeliveryFigures['missPlays'];
/** One of the titles that cost the origin the most. */
export type OriginTitle = QueryAnswer<'getAnalyticsOriginTitles'>['items'][number];
/** A region's predicted demand, most popular first. */
export type PopularityReport = QueryAnswer<'getAnalyticsPopularity'>;
/** The window and filters every /analytics figure is read over. */
export type DeliveryQuery = QueryOf<QueryOperations['getAnalyticsOffload']>;

/** A started session: one DASH and one HLS URL per ranked place (the token in their path). */
export type PlaybackStarted = CommandAnswer<'postPlayback'>;
/** One ranked place to play the title from. */
export type RankedManifest = PlaybackStarted['manifests'][number];
/** A heartbeat's answer, with the fresh content token. */
export type HeartbeatAnswer = CommandAnswer<'postPlaybackBysessionIdProgress'>;

/** A profile's preferred languages: null audio is the title's original, null captions is off. */
export type ProfileLanguagesBody = JsonBody<CommandOperations['putAccountsByaccountIdProfilesByprofileIdLanguages']>;
/** A track's language as the query API lists it: its tag and its name ("fr", "French"). */
export type TrackLanguage = CatalogTitlePage['audio'][number];

/** A profile's languages (null: original audio, captions off), or none for no profile. */
export const profileLanguagesOf = (profile: Profile | null): ProfileLanguagesBody => ({
  audioLanguage: profile?.audioLanguage ?? null,
  captionLanguage: profile?.captionLanguage ?? null,
});
