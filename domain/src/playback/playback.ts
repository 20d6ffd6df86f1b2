import type { Decider } from '../decider';
import { type PlanId, plans } from '../plans';
import type { SteeringHolder } from '../steering/miss-classification';
import { publishedEncoding, type TitleState } from '../title/title';
import type { EpisodePlace } from '../title/title-events';
import {
  NotAPlaybackParticipant,
  PositionOutOfRange,
  SessionAlreadyStarted,
  SessionNotFound,
  SessionStopped,
  TitleUnavailable,
} from './playback-errors';
import type { PlaybackEvent } from './playback-events';

type SessionRef = { sessionId: string; accountId: string; profileId: string };

export type PlaybackCommand =
  | (SessionRef & {
      type: 'StartPlayback';
      /** The plan the account is on now (the account stream has already granted the lease). */
      plan: PlanId;
      /** The title's state, loaded from its stream. */
      title: TitleState;
      edges: string[];
      /** The edges steering knew to hold the encoding, with their health: the steering decision, for analysts. */
      holders?: SteeringHolder[];
      region: string | null;
      resumeFromSeconds: number;
      at: string;
    })
  | (SessionRef & { type: 'RecordProgress'; positionSeconds: number; at: string })
  | (SessionRef & {
      type: 'ReportQoE';
      edgeId: string | null;
      startupMs: number;
      rebufferCount: number;
      rebufferMs: number;
      averageBitrateKbps: number;
      switches: number;
      watchedSeconds: number;
      at: string;
    })
  | (SessionRef & { type: 'StopPlayback'; positionSeconds: number; at: string });

export type PlaybackState =
  | { status: 'none' }
  | {
      status: 'playing' | 'stopped';
      sessionId: string;
      accountId: string;
      profileId: string;
      titleId: string;
      encodingId: string;
      durationSeconds: number;
      maxHeight: number;
      /** Edge ids as steering ranked them at the start, and the viewer's region: the content grant. */
      edges: string[];
      region: string | null;
      positionSeconds: number;
      /** The episode's series and place; null for a film. */
      episodeOf: EpisodePlace | null;
    };

/** The tallest rendition a plan may watch of a ladder: the plan's cap, or the lowest rung if all are taller. */
export const cappedHeight = (plan: PlanId, ladderHeights: number[]): number => {
  const cap = plans[plan].maxHeight;
  const allowed = ladderHeights.filter((h) => h <= cap);
  return allowed.length > 0 ? Math.max(...allowed) : Math.min(...ladderHeights);
};

// A heartbeat may run a little past the end (rounding, the last segment), never far.
const positionSlackSeconds = 5;

const decide = (command: PlaybackCommand, state: PlaybackState): PlaybackEvent[] => {
  const { sessionId, accountId, profileId } = command;
  if (command.type === 'StartPlayback') {
    if (state.status !== 'none') throw new SessionAlreadyStarted(sessionId);
    const encoding = publishedEncoding(command.title);
    if (command.title.status !== 'created' || !encoding)
      throw new TitleUnavailable(command.title.status === 'created' ? command.title.titleId : 'unknown');
    const resume = command.resumeFromSeconds < encoding.durationSeconds ? command.resumeFromSeconds : 0;
    return [
      {
        type: 'PlaybackStarted',
        data: {
          sessionId,
          accountId,
          profileId,
          titleId: command.title.titleId,
          encodingId: encoding.encodingId,
          manifestPath: encoding.manifestPath,
          durationSeconds: encoding.durationSeconds,
          maxHeight: cappedHeight(
            command.plan,
            encoding.ladder.map((rung) => rung.height),
          ),
          edges: command.edges,
          ...(command.holders && { holders: command.holders }),
          region: command.region,
          resumeFromSeconds: resume,
          ...(command.title.episodeOf && {
            seriesId: command.title.episodeOf.seriesId,
            episodeOf: command.title.episodeOf,
          }),
          at: command.at,
        },
      },
    ];
  }
  if (state.status === 'none') throw new SessionNotFound(sessionId);
  if (state.accountId !== accountId || state.profileId !== profileId) throw new NotAPlaybackParticipant(sessionId);
  const ref = {
    sessionId,
    accountId,
    profileId,
    titleId: state.titleId,
    ...(state.episodeOf && { seriesId: state.episodeOf.seriesId }),
  };
  switch (command.type) {
    case 'RecordProgress': {
      if (state.status === 'stopped') throw new SessionStopped(sessionId);
      if (command.positionSeconds > state.durationSeconds + positionSlackSeconds)
        throw new PositionOutOfRange(command.positionSeconds, state.durationSeconds);
      return [
        { type: 'PlaybackProgressed', data: { ...ref, positionSeconds: command.positionSeconds, at: command.at } },
      ];
    }
    case 'ReportQoE': {
      // QoE is reported at stop too, so a stopped session still takes it.
      const { type: _, sessionId: __, accountId: ___, profileId: ____, ...qoe } = command;
      return [{ type: 'PlaybackQoEReported', data: { ...ref, ...qoe } }];
    }
    case 'StopPlayback': {
      if (state.status === 'stopped') return [];
      if (command.positionSeconds > state.durationSeconds + positionSlackSeconds)
        throw new PositionOutOfRange(command.positionSeconds, state.durationSeconds);
      return [{ type: 'PlaybackStopped', data: { ...ref, positionSeconds: command.positionSeconds, at: command.at } }];
    }
  }
};

const evolve = (state: PlaybackState, event: PlaybackEvent): PlaybackState => {
  switch (event.type) {
    case 'PlaybackStarted': {
      const {
        manifestPath: _manifest,
        at: _at,
        resumeFromSeconds,
        seriesId: _series,
        episodeOf,
        ...session
      } = event.data;
      return { status: 'playing', ...session, positionSeconds: resumeFromSeconds, episodeOf: episodeOf ?? null };
    }
    case 'PlaybackProgressed':
      return state.status === 'none' ? state : { ...state, positionSeconds: event.data.positionSeconds };
    case 'PlaybackQoEReported':
      return state;
    case 'PlaybackStopped':
      return state.status === 'none'
        ? state
        : { ...state, status: 'stopped', positionSeconds: event.data.positionSeconds };
  }
};

export const playbackDecider: Decider<PlaybackCommand, PlaybackState, PlaybackEvent> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};
