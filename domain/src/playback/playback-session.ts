import { type AccountState, accountDecider } from '../account/account';
import { ProfileNotFound, SubscriptionNotActive } from '../account/account-errors';
import type { AccountEvent } from '../account/account-events';
import { allowsRating, stricterRating } from '../maturity/maturity';
import { AboveMaturityLevel } from '../maturity/maturity-errors';
import type { SeriesState } from '../series/series';
import type { SteeringHolder } from '../steering/miss-classification';
import type { TitleState } from '../title/title';
import type { MaturityRating } from '../title/title-events';
import { type PlaybackState, playbackDecider } from './playback';
import { TitleUnavailable } from './playback-errors';
import type { PlaybackEvent } from './playback-events';

/**
 * Playback spans two streams. The account stream is the consistency boundary for the plan's
 * stream limit: a session holds a lease there, appended with the account's expected revision,
 * so two devices racing for the last slot cannot both win. The session's own stream records
 * what was watched. Both are decided here, purely; the caller appends the account events
 * first, then the session's. A crash between the two leaves only a lease that expires.
 */
export type PlaybackDecision = { account: AccountEvent[]; playback: PlaybackEvent[] };

export type StartPlaybackInput = {
  sessionId: string;
  profileId: string;
  /** Edge ids ranked by the steering policy. */
  edges: string[];
  /** Every edge steering knew to hold the encoding, with its health: recorded for the miss classification. */
  holders?: SteeringHolder[];
  /** The viewer's region, kept for the content token's renewals. */
  region: string | null;
  resumeFromSeconds: number;
  at: string;
};

/**
 * The rating a viewer's level is held to: the title's own, or for an episode the stricter of
 * its own and its series'. Null when the title cannot be watched at all: it does not exist, or
 * it is an episode whose series is missing or unpublished.
 */
export const watchableRating = (title: TitleState, series: SeriesState | null): MaturityRating | null => {
  if (title.status !== 'created') return null;
  if (!title.episodeOf) return title.metadata.maturityRating;
  if (series?.status !== 'created' || series.seriesId !== title.episodeOf.seriesId || !series.published) return null;
  return stricterRating(title.metadata.maturityRating, series.metadata.maturityRating);
};

/**
 * Starts a session when the account's subscription is active, the profile is the account's,
 * the title (and an episode's series) is published, and its rating is within the profile's
 * maturity level. `series` is the episode's series' state, null for a film.
 */
export const decideStartPlayback = (
  input: StartPlaybackInput,
  state: { account: AccountState; title: TitleState; series: SeriesState | null; session: PlaybackState },
): PlaybackDecision => {
  const { account, title, series, session } = state;
  if (account.status !== 'registered' || account.subscription !== 'active' || !account.plan)
    throw new SubscriptionNotActive();
  const titleId = title.status === 'created' ? title.titleId : 'unknown';
  const profile = account.profiles.find((p) => p.profileId === input.profileId);
  if (!profile) throw new ProfileNotFound(input.profileId);
  const rating = watchableRating(title, series);
  if (rating === null) throw new TitleUnavailable(titleId);
  if (!allowsRating(profile.maturityLevel, rating)) throw new AboveMaturityLevel(rating, profile.maturityLevel);
  const playback = playbackDecider.decide(
    { type: 'StartPlayback', accountId: account.accountId, plan: account.plan, title, ...input },
    session,
  );
  const lease = accountDecider.decide(
    { type: 'GrantPlaybackLease', sessionId: input.sessionId, profileId: input.profileId, titleId, at: input.at },
    account,
  );
  return { account: lease, playback };
};

type SessionInput = { sessionId: string; profileId: string; positionSeconds: number; at: string };
type SessionState = { account: AccountState; session: PlaybackState };

const decideOnBothStreams =
  (playbackCommand: 'RecordProgress' | 'StopPlayback', accountCommand: 'RenewPlaybackLease' | 'ReleasePlaybackLease') =>
  (input: SessionInput, { account, session }: SessionState): PlaybackDecision => {
    const accountId = account.status === 'registered' ? account.accountId : 'unknown';
    const playback = playbackDecider.decide({ type: playbackCommand, accountId, ...input }, session);
    const lease = accountDecider.decide({ type: accountCommand, sessionId: input.sessionId, at: input.at }, account);
    return { account: lease, playback };
  };

const recordProgressAndRenewLease = decideOnBothStreams('RecordProgress', 'RenewPlaybackLease');

/**
 * A heartbeat: records the position, and renews the lease (refused once it has expired). Each
 * one also renews the session's content token, so once the title (or an episode's series) is
 * unpublished, the subscription cancelled, or the title rated above the profile's level, it is
 * refused: the token lapses and the viewer is told why.
 */
export const decideHeartbeat = (
  input: SessionInput,
  state: SessionState & { title: TitleState; series: SeriesState | null },
): PlaybackDecision => {
  const decision = recordProgressAndRenewLease(input, state);
  const { account, session, title, series } = state;
  if (session.status === 'none') return decision;
  const rating = watchableRating(title, series);
  if (title.status !== 'created' || title.published === null || rating === null)
    throw new TitleUnavailable(session.titleId);
  if (account.status !== 'registered' || account.subscription !== 'active') throw new SubscriptionNotActive();
  // A rating raised mid-session (or a level lowered) ends it at the next heartbeat: no fresh token.
  const level = account.profiles.find((p) => p.profileId === session.profileId)?.maturityLevel;
  if (level !== undefined && !allowsRating(level, rating)) throw new AboveMaturityLevel(rating, level);
  return decision;
};

/** Stop: records the final position and gives the stream slot back. */
export const decideStopPlayback = decideOnBothStreams('StopPlayback', 'ReleasePlaybackLease');
