import { describe, expect, it } from 'vitest';
import {
  AboveMaturityLevel,
  type AccountEvent,
  accountDecider,
  cappedHeight,
  decideHeartbeat,
  decideStartPlayback,
  decideStopPlayback,
  foldEvents,
  NotAPlaybackParticipant,
  type PlaybackEvent,
  PlaybackSessionExpired,
  PositionOutOfRange,
  ProfileNotFound,
  playbackDecider,
  type SeriesEvent,
  SessionAlreadyStarted,
  SessionNotFound,
  SessionStopped,
  StreamLimitReached,
  SubscriptionNotActive,
  seriesDecider,
  type TitleEvent,
  TitleUnavailable,
  titleDecider,
  watchableRating,
} from '../src';
import { deciderSpec } from './decider-spec';

const at = '2026-11-24T10:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();
const sha = 'b'.repeat(64);
const accountId = 'a1';
const ref = { sessionId: 's1', accountId, profileId: 'p1' };

const titleEvents = (options: { published: boolean }): TitleEvent[] => [
  {
    type: 'TitleCreated',
    data: { titleId: 't1', name: 'N', synopsis: '', genres: ['drama'], year: 2020, maturityRating: 'all', at },
  },
  {
    type: 'SourceUploaded',
    data: {
      titleId: 't1',
      uploadId: 'u1',
      path: 'u1',
      sizeBytes: 10,
      sha256: sha,
      probe: { durationSeconds: 600, width: 3840, height: 2160, frameRate: 25, videoCodec: 'h264', audioCodec: null },
      at,
    },
  },
  { type: 'EncodingStarted', data: { titleId: 't1', encodingId: 'e1', uploadId: 'u1', at } },
  {
    type: 'EncodingSucceeded',
    data: {
      titleId: 't1',
      encodingId: 'e1',
      ladder: [360, 720, 1080, 2160].map((height) => ({
        width: (height * 16) / 9,
        height,
        videoBitrateKbps: height * 4,
      })),
      manifestPath: 't1/e1/manifest.mpd',
      packageIndex: { files: 9, bytes: 900, sha256: sha },
      durationSeconds: 600,
      encodeSeconds: 30,
      at,
    },
  },
  ...(options.published
    ? [
        {
          type: 'TitlePublished',
          data: { titleId: 't1', encodingId: 'e1', manifestPath: 't1/e1/manifest.mpd', at },
        } as const,
      ]
    : []),
];
const title = (published = true) => foldEvents(titleDecider, titleEvents({ published }));
const accountEvents = (plan: 'basic' | 'standard' | 'premium'): AccountEvent[] => [
  { type: 'AccountRegistered', data: { accountId, email: 'a@example.com', passwordHash: 'h', at } },
  { type: 'SubscriptionStarted', data: { accountId, plan, at } },
  { type: 'ProfileCreated', data: { accountId, profileId: 'p1', name: 'Ada', kids: false, at } },
];
const account = (plan: 'basic' | 'standard' | 'premium', more: AccountEvent[] = []) =>
  foldEvents(accountDecider, [...accountEvents(plan), ...more]);
const noSession = playbackDecider.initialState();

const startedEvent = (maxHeight: number, resumeFromSeconds = 0): PlaybackEvent => ({
  type: 'PlaybackStarted',
  data: {
    ...ref,
    titleId: 't1',
    encodingId: 'e1',
    manifestPath: 't1/e1/manifest.mpd',
    durationSeconds: 600,
    maxHeight,
    edges: ['edge-eu', 'edge-us'],
    region: 'eu',
    resumeFromSeconds,
    at,
  },
});

describe('start playback (account lease + session)', () => {
  const start = {
    sessionId: 's1',
    profileId: 'p1',
    edges: ['edge-eu', 'edge-us'],
    region: 'eu',
    resumeFromSeconds: 0,
    at,
  };

  it('starts a session, takes a stream slot, and caps the resolution by the plan', () => {
    const decision = decideStartPlayback(start, {
      account: account('basic'),
      title: title(),
      series: null,
      session: noSession,
    });
    expect(decision.playback).toEqual([startedEvent(720)]);
    expect(decision.account).toEqual([
      {
        type: 'PlaybackLeaseGranted',
        data: { accountId, sessionId: 's1', profileId: 'p1', titleId: 't1', expiresAt: later(120), at },
      },
    ]);
  });
  it('lets premium watch the top of the ladder', () => {
    const decision = decideStartPlayback(start, {
      account: account('premium'),
      title: title(),
      series: null,
      session: noSession,
    });
    expect(decision.playback).toEqual([startedEvent(2160)]);
  });
  it('starts at the resume position', () => {
    const decision = decideStartPlayback(
      { ...start, resumeFromSeconds: 321 },
      { account: account('standard'), title: title(), series: null, session: noSession },
    );
    expect(decision.playback).toEqual([startedEvent(1080, 321)]);
  });
  it('starts from the beginning when the resume position is past the end', () => {
    const decision = decideStartPlayback(
      { ...start, resumeFromSeconds: 600 },
      { account: account('standard'), title: title(), series: null, session: noSession },
    );
    expect(decision.playback).toEqual([startedEvent(1080, 0)]);
  });
  it('refuses a title that is not published', () =>
    expect(() =>
      decideStartPlayback(start, {
        account: account('premium'),
        title: title(false),
        series: null,
        session: noSession,
      }),
    ).toThrow(TitleUnavailable));
  it('refuses an account without an active subscription', () =>
    expect(() =>
      decideStartPlayback(start, {
        account: account('premium', [{ type: 'SubscriptionCancelled', data: { accountId, at } }]),
        title: title(),
        series: null,
        session: noSession,
      }),
    ).toThrow(SubscriptionNotActive));
  it('refuses a stream past the plan limit', () => {
    const other: AccountEvent = {
      type: 'PlaybackLeaseGranted',
      data: { accountId, sessionId: 's0', profileId: 'p1', titleId: 't1', expiresAt: later(60), at },
    };
    expect(() =>
      decideStartPlayback(start, {
        account: account('basic', [other]),
        title: title(),
        series: null,
        session: noSession,
      }),
    ).toThrow(StreamLimitReached);
  });
  it('refuses to start a session twice', () =>
    expect(() =>
      decideStartPlayback(start, {
        account: account('premium'),
        title: title(),
        series: null,
        session: foldEvents(playbackDecider, [startedEvent(2160)]),
      }),
    ).toThrow(SessionAlreadyStarted));
});

describe('cappedHeight', () => {
  it('picks the tallest rung the plan allows, or the lowest rung when all are taller', () => {
    expect(cappedHeight('basic', [360, 720, 1080])).toBe(720);
    expect(cappedHeight('standard', [360, 480])).toBe(480);
    expect(cappedHeight('basic', [1080, 2160])).toBe(1080);
  });
});

describe('heartbeats and stop', () => {
  const lease: AccountEvent = {
    type: 'PlaybackLeaseGranted',
    data: { accountId, sessionId: 's1', profileId: 'p1', titleId: 't1', expiresAt: later(120), at },
  };
  const session = foldEvents(playbackDecider, [startedEvent(720)]);

  it('records progress and renews the lease near its end', () => {
    const decision = decideHeartbeat(
      { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(90) },
      { account: account('basic', [lease]), session, title: title(), series: null },
    );
    expect(decision.playback).toEqual([
      { type: 'PlaybackProgressed', data: { ...ref, titleId: 't1', positionSeconds: 95, at: later(90) } },
    ]);
    expect(decision.account).toEqual([
      { type: 'PlaybackLeaseRenewed', data: { accountId, sessionId: 's1', expiresAt: later(210), at: later(90) } },
    ]);
  });
  it('refuses a heartbeat after the lease expired: the viewer sees "session expired"', () =>
    expect(() =>
      decideHeartbeat(
        { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(200) },
        { account: account('basic', [lease]), session, title: title(), series: null },
      ),
    ).toThrow(PlaybackSessionExpired));
  it('refuses a heartbeat once the title is unpublished: its content token is not renewed', () =>
    expect(() =>
      decideHeartbeat(
        { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(90) },
        { account: account('basic', [lease]), session, title: title(false), series: null },
      ),
    ).toThrow(TitleUnavailable));
  it('refuses a heartbeat once the subscription is cancelled: the content token is not renewed', () =>
    expect(() =>
      decideHeartbeat(
        { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(90) },
        {
          account: account('basic', [lease, { type: 'SubscriptionCancelled', data: { accountId, at: later(60) } }]),
          session,
          title: title(),
          series: null,
        },
      ),
    ).toThrow(SubscriptionNotActive));
  it('refuses a heartbeat of a stopped session as stopped, even on an unpublished title', () =>
    expect(() =>
      decideHeartbeat(
        { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(90) },
        {
          account: account('basic', [lease]),
          session: foldEvents(playbackDecider, [
            startedEvent(720),
            { type: 'PlaybackStopped', data: { ...ref, titleId: 't1', positionSeconds: 90, at: later(80) } },
          ]),
          title: title(false),
          series: null,
        },
      ),
    ).toThrow(SessionStopped));
  it("refuses a heartbeat once the title is rated above the profile's level: the session ends there", () => {
    const raised = foldEvents(titleDecider, [
      ...titleEvents({ published: true }),
      { type: 'TitleMetadataUpdated', data: { titleId: 't1', maturityRating: '18+', at: later(30) } },
    ]);
    const lowered: AccountEvent = {
      type: 'ProfileMaturityLevelSet',
      data: { accountId, profileId: 'p1', maturityLevel: '13+', at: later(30) },
    };
    const input = { sessionId: 's1', profileId: 'p1', positionSeconds: 95, at: later(90) };
    expect(() =>
      decideHeartbeat(input, { account: account('basic', [lease, lowered]), session, title: raised, series: null }),
    ).toThrow(AboveMaturityLevel);
    // The same raise is nothing to a profile whose level allows it.
    expect(
      decideHeartbeat(input, { account: account('basic', [lease]), session, title: raised, series: null }).playback,
    ).toHaveLength(1);
  });
  it('keeps the grant a renewed token needs in the session state', () =>
    expect(session).toMatchObject({ maxHeight: 720, edges: ['edge-eu', 'edge-us'], region: 'eu' }));
  it('stops a session and gives the slot back', () => {
    const decision = decideStopPlayback(
      { sessionId: 's1', profileId: 'p1', positionSeconds: 100, at: later(100) },
      { account: account('basic', [lease]), session },
    );
    expect(decision.playback).toEqual([
      { type: 'PlaybackStopped', data: { ...ref, titleId: 't1', positionSeconds: 100, at: later(100) } },
    ]);
    expect(decision.account).toEqual([
      { type: 'PlaybackLeaseReleased', data: { accountId, sessionId: 's1', at: later(100) } },
    ]);
  });
});

describe('the session stream', () => {
  const { given } = deciderSpec(playbackDecider);
  const started = startedEvent(720);
  const stopped: PlaybackEvent = {
    type: 'PlaybackStopped',
    data: { ...ref, titleId: 't1', positionSeconds: 10, at },
  };
  const qoe = {
    edgeId: 'edge-eu',
    startupMs: 420,
    rebufferCount: 1,
    rebufferMs: 800,
    averageBitrateKbps: 2500,
    switches: 3,
    watchedSeconds: 60,
    at,
  };

  it('records progress', () =>
    given([started])
      .when({ type: 'RecordProgress', ...ref, positionSeconds: 42, at })
      .then([{ type: 'PlaybackProgressed', data: { ...ref, titleId: 't1', positionSeconds: 42, at } }]));
  it('refuses progress for a session that never started', () =>
    given([])
      .when({ type: 'RecordProgress', ...ref, positionSeconds: 1, at })
      .thenThrows(SessionNotFound));
  it('refuses progress after stop', () =>
    given([started, stopped])
      .when({ type: 'RecordProgress', ...ref, positionSeconds: 11, at })
      .thenThrows(SessionStopped));
  it('refuses a position far past the end of the title', () =>
    given([started])
      .when({ type: 'RecordProgress', ...ref, positionSeconds: 900, at })
      .thenThrows(PositionOutOfRange, /lasts 600 s/));
  it("refuses another profile's session", () =>
    given([started])
      .when({ type: 'RecordProgress', ...ref, profileId: 'p2', positionSeconds: 1, at })
      .thenThrows(NotAPlaybackParticipant));

  it('records a QoE report, also after stop', () => {
    const event = { type: 'PlaybackQoEReported', data: { ...ref, titleId: 't1', ...qoe } } as const;
    given([started])
      .when({ type: 'ReportQoE', ...ref, ...qoe })
      .then([event]);
    given([started, stopped])
      .when({ type: 'ReportQoE', ...ref, ...qoe })
      .then([event]);
  });
  it('refuses QoE for a session that never started', () =>
    given([])
      .when({ type: 'ReportQoE', ...ref, ...qoe })
      .thenThrows(SessionNotFound));

  it('stops a session', () =>
    given([started])
      .when({ type: 'StopPlayback', ...ref, positionSeconds: 10, at })
      .then([stopped]));
  it('treats a repeated stop as done', () =>
    given([started, stopped])
      .when({ type: 'StopPlayback', ...ref, positionSeconds: 10, at })
      .thenNothing());
  it('refuses to stop a session that never started', () =>
    given([])
      .when({ type: 'StopPlayback', ...ref, positionSeconds: 10, at })
      .thenThrows(SessionNotFound));
  it('refuses a stop position past the end', () =>
    given([started])
      .when({ type: 'StopPlayback', ...ref, positionSeconds: 700, at })
      .thenThrows(PositionOutOfRange));
});

describe('maturity levels and episodes at playback start', () => {
  const start = { sessionId: 's1', profileId: 'p1', edges: [], region: null, resumeFromSeconds: 0, at };
  type Rating = 'all' | '7+' | '13+' | '16+' | '18+';
  const episodeOf = { seriesId: 'sr1', season: 1, episode: 3 };
  /** The published title t1 rated `rating`, an episode of sr1 when `episode`. */
  const ratedTitle = (rating: Rating, episode = false) => {
    const [created, ...rest] = titleEvents({ published: true });
    if (created?.type !== 'TitleCreated') throw new Error('the first event creates the title');
    const data = { ...created.data, maturityRating: rating, ...(episode && { episodeOf }) };
    return foldEvents(titleDecider, [{ ...created, data }, ...rest]);
  };
  const series = (rating: Rating, published = true) =>
    foldEvents(seriesDecider, [
      {
        type: 'SeriesCreated',
        data: { seriesId: 'sr1', name: 'S', synopsis: '', genres: ['drama'], year: 2020, maturityRating: rating, at },
      },
      { type: 'EpisodeAdded', data: { seriesId: 'sr1', titleId: 't1', season: 1, episode: 3, at } },
      ...(published ? [{ type: 'SeriesPublished', data: { seriesId: 'sr1', at } } as SeriesEvent] : []),
    ]);
  const profileAt = (maturityLevel: Rating, kids = false): AccountEvent[] => [
    { type: 'ProfileCreated', data: { accountId, profileId: 'p2', name: 'Other', kids, maturityLevel, at } },
  ];
  const startAs = (profileId: string, state: { title: ReturnType<typeof ratedTitle>; series: unknown }) =>
    decideStartPlayback(
      { ...start, profileId },
      {
        account: account('premium', profileAt('13+', true)),
        title: state.title,
        series: state.series as ReturnType<typeof series> | null,
        session: noSession,
      },
    );

  it("refuses a title above the profile's level, naming both", () => {
    expect(() => startAs('p2', { title: ratedTitle('16+'), series: null })).toThrow(AboveMaturityLevel);
    expect(() => startAs('p2', { title: ratedTitle('16+'), series: null })).toThrow(
      /rated 16\+, above this profile's maturity level \(13\+\)/,
    );
  });
  it('starts a title at or below the level', () =>
    expect(startAs('p2', { title: ratedTitle('13+'), series: null }).playback).toHaveLength(1));
  it('refuses a profile that is not on the account', () =>
    expect(() => startAs('p9', { title: ratedTitle('all'), series: null })).toThrow(ProfileNotFound));
  it('refuses an episode of an unpublished series, or of a series it is not in', () => {
    expect(() => startAs('p1', { title: ratedTitle('all', true), series: series('all', false) })).toThrow(
      TitleUnavailable,
    );
    expect(() => startAs('p1', { title: ratedTitle('all', true), series: null })).toThrow(TitleUnavailable);
  });
  it("rates an episode by the stricter of its own and its series' ratings", () => {
    expect(watchableRating(ratedTitle('all', true), series('16+'))).toBe('16+');
    expect(watchableRating(ratedTitle('18+', true), series('7+'))).toBe('18+');
    expect(() => startAs('p2', { title: ratedTitle('all', true), series: series('16+') })).toThrow(AboveMaturityLevel);
    expect(() => startAs('p2', { title: ratedTitle('16+', true), series: series('all') })).toThrow(AboveMaturityLevel);
    expect(startAs('p2', { title: ratedTitle('7+', true), series: series('13+') }).playback).toHaveLength(1);
  });
  it('names the series and place in the session of an episode, and the series in what follows', () => {
    const { playback } = startAs('p1', { title: ratedTitle('all', true), series: series('all') });
    expect(playback[0]).toMatchObject({ type: 'PlaybackStarted', data: { seriesId: 'sr1', episodeOf } });
    const session = foldEvents(playbackDecider, playback);
    const progress = playbackDecider.decide(
      { type: 'RecordProgress', sessionId: 's1', accountId, profileId: 'p1', positionSeconds: 30, at },
      session,
    );
    expect(progress[0]?.data).toMatchObject({ seriesId: 'sr1' });
  });
  it('names no series in the session of a film', () => {
    const { playback } = startAs('p1', { title: ratedTitle('all'), series: null });
    expect(playback[0]?.data).not.toHaveProperty('seriesId');
    expect(playback[0]?.data).not.toHaveProperty('episodeOf');
  });
});
