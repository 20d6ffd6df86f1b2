/*
 * The shapes the player sends and reads. What it sends (bodies, query parameters, plans, ratings)
 * comes from the types generated from the APIs' own OpenAPI documents (`generated/`, made by
 * `npm run generate:api -w player`), so a changed API fails the player's typecheck. The documents
 * do not describe answers yet, so the answers below are still written out as the APIs send them.
 */
import type { operations as CommandOperations } from './generated/command-api';
import type { operations as QueryOperations } from './generated/query-api';

type JsonBody<Operation> = Operation extends { requestBody: { content: { 'application/json': infer Body } } }
  ? Body
  : never;
type QueryOf<Operation> = Operation extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

export type SignUpBody = JsonBody<CommandOperations['postAccounts']>;
export type LogInBody = JsonBody<CommandOperations['postLogin']>;
export type NewProfile = JsonBody<CommandOperations['postAccountsByaccountIdProfiles']>;
export type StartPlaybackBody = JsonBody<CommandOperations['postPlayback']>;
export type HeartbeatBody = JsonBody<CommandOperations['postPlaybackBysessionIdProgress']>;
export type QoeBody = JsonBody<CommandOperations['postPlaybackBysessionIdQoe']>;
export type StopPlaybackBody = JsonBody<CommandOperations['postPlaybackBysessionIdStop']>;
export type NewTitle = JsonBody<CommandOperations['postTitles']>;
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

export type SignedIn = { accountId: string; plan: PlanId; token: string };

export type Profile = { profileId: string; name: string; kids: boolean };

export type Account = {
  accountId: string;
  email: string;
  plan: PlanId | null;
  status: 'registered' | 'active' | 'cancelled';
  profiles: Profile[];
};

export type CatalogTitle = {
  titleId: string;
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  maturityRating: MaturityRating;
  durationSeconds: number | null;
  /** Relative to /content on the origin and edges: `<titleId>/<encodingId>/poster.jpg`. */
  posterPath: string | null;
  popularity: number;
  publishedAt: string | null;
};

export type Page<Item> = { items: Item[]; nextCursor: string | null };

export type WatchEntry = {
  profileId: string;
  titleId: string;
  positionSeconds: number;
  durationSeconds: number;
  completed: boolean;
  lastWatchedAt: string;
  sessions: number;
  name: string | null;
  posterPath: string | null;
};

export type ContinueWatchingEntry = WatchEntry & { progress: number };

export type StartedPlayback = {
  sessionId: string;
  titleId: string;
  encodingId: string;
  /** Ranked: edges first, the origin last; each URL carries `?token=…`. */
  manifests: { edgeId: string | null; region: string | null; url: string }[];
  token: string;
  tokenExpiresAt: string;
  resumeFromSeconds: number;
  maxHeight: number | null;
  leaseExpiresAt: string | null;
};

export type TitleStatus = 'draft' | 'uploaded' | 'encoding' | 'encoded' | 'encoding-failed' | 'published';

export type LadderRung = { width: number; height: number; videoBitrateKbps: number };

export type TitleDetail = {
  titleId: string;
  name: string;
  synopsis: string;
  genres: string[];
  year: number;
  maturityRating: MaturityRating;
  status: TitleStatus;
  createdAt: string;
  updatedAt: string;
  uploads: { uploadId: string; sizeBytes: number; at: string }[];
  encodings: {
    encodingId: string;
    status: 'running' | 'succeeded' | 'failed';
    startedAt: string;
    finishedAt: string | null;
    ladder: LadderRung[];
    reason: string | null;
  }[];
  published: { encodingId: string; manifestPath: string; at: string } | null;
};

export type EncodingJob = {
  encodingId: string;
  uploadId: string;
  state: 'waiting' | 'active' | 'delayed' | 'completed' | 'failed' | 'unknown';
  queuePosition: number | null;
  progress: { percent: number; fps: number; speed: number; etaSeconds: number | null } | null;
  attempts: number;
  failedReason: string | null;
  queuedAt: string;
};

export type Qoe = {
  reports: number;
  avgStartupMs: number;
  rebufferRatio: number;
  avgBitrateKbps: number;
  rebufferCount: number;
};

export type TopTitle = {
  titleId: string;
  name: string | null;
  plays: number;
  playsByDay: Record<string, number>;
  qoe: Qoe;
};

export type TitleStats = {
  titleId: string;
  name: string | null;
  plays: number;
  playsByDay: Record<string, number>;
  qoe: Qoe;
};

export type EdgeQoe = { edgeId: string; region: string | null; qoe: Qoe };
