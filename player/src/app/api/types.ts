/*
 * The shapes the player reads and sends, as the APIs' OpenAPI documents describe them
 * (GET /openapi.json on each API). Kept here rather than imported from the services, so the
 * browser bundle depends on nothing server-side.
 */

export const planIds = ['basic', 'standard', 'premium'] as const;
export type PlanId = (typeof planIds)[number];

/** What each plan gives, as the domain defines it (shown on the sign-up form). */
export const planDescriptions: Record<PlanId, { label: string; quality: string; streams: number }> = {
  basic: { label: 'Basic', quality: 'HD 720p', streams: 1 },
  standard: { label: 'Standard', quality: 'Full HD 1080p', streams: 2 },
  premium: { label: 'Premium', quality: 'Ultra HD 4K', streams: 4 },
};

export const maturityRatings = ['all', '7+', '13+', '16+', '18+'] as const;
export type MaturityRating = (typeof maturityRatings)[number];

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
