import type { MarqueeEvent } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import {
  type AccountView,
  type AnyProjection,
  accounts,
  type CatalogEntry,
  type ContinueWatchingEntry,
  catalog,
  continueWatching,
  edgeInventory,
  edgeQoE,
  type ProjectedEvent,
  type SeriesDetail,
  seriesDetail,
  type TitleDetail,
  titleDetail,
  titleStats,
  type WatchHistoryEntry,
  watchHistory,
} from '../src';

/** Folds events through one projection, by document id, as the runner does. */
const fold = (projection: AnyProjection, events: MarqueeEvent[]) => {
  const docs = new Map<string, unknown>();
  events.forEach((event, i) => {
    if (!projection.eventTypes.includes(event.type)) return;
    const projected = { ...event, position: i + 1, streamName: 'x-1', recordedAt: new Date() } as ProjectedEvent;
    const key = projection.key(projected);
    for (const id of key === null ? [] : typeof key === 'string' ? [key] : key) {
      const next = projection.evolve(docs.get(id), projected, id);
      if (next === null) docs.delete(id);
      else docs.set(id, next);
    }
  });
  return docs;
};

const at = (day: string) => `2026-11-${day}T12:00:00.000Z`;
const sha = 'c'.repeat(64);
const created: MarqueeEvent = {
  type: 'TitleCreated',
  data: {
    titleId: 't1',
    name: 'Orbit',
    synopsis: 's',
    genres: ['scifi'],
    year: 2020,
    maturityRating: '13+',
    at: at('01'),
  },
};
const encoded = (encodingId: string): MarqueeEvent[] => [
  { type: 'EncodingStarted', data: { titleId: 't1', encodingId, uploadId: 'u1', at: at('02') } },
  {
    type: 'EncodingSucceeded',
    data: {
      titleId: 't1',
      encodingId,
      ladder: [{ width: 640, height: 360, videoBitrateKbps: 700 }],
      manifestPath: `t1/${encodingId}/manifest.mpd`,
      packageIndex: { files: 3, bytes: 300, sha256: sha },
      durationSeconds: 100,
      encodeSeconds: 9,
      at: at('02'),
    },
  },
];
const published: MarqueeEvent = {
  type: 'TitlePublished',
  data: { titleId: 't1', encodingId: 'e1', manifestPath: 't1/e1/manifest.mpd', at: at('03') },
};
const session = { accountId: 'a1', profileId: 'p1', titleId: 't1' };
const started = (sessionId: string, day: string, resumeFromSeconds = 0): MarqueeEvent => ({
  type: 'PlaybackStarted',
  data: {
    ...session,
    sessionId,
    encodingId: 'e1',
    manifestPath: 't1/e1/manifest.mpd',
    durationSeconds: 100,
    maxHeight: 720,
    edges: [],
    region: null,
    resumeFromSeconds,
    at: at(day),
  },
});
const progressed = (sessionId: string, positionSeconds: number, day = '10'): MarqueeEvent => ({
  type: 'PlaybackProgressed',
  data: { ...session, sessionId, positionSeconds, at: at(day) },
});

describe('catalog', () => {
  it('lists a title once published, with its duration and poster, and hides it when unpublished', () => {
    const entry = fold(catalog, [created, ...encoded('e1'), published]).get('t1') as CatalogEntry;
    expect(entry).toMatchObject({
      published: true,
      durationSeconds: 100,
      posterPath: 't1/e1/poster.jpg',
      publishedAt: at('03'),
    });
    const hidden = fold(catalog, [
      created,
      ...encoded('e1'),
      published,
      { type: 'TitleUnpublished', data: { titleId: 't1', encodingId: 'e1', at: at('04') } },
    ]);
    expect((hidden.get('t1') as CatalogEntry).published).toBe(false);
  });
  it('counts popularity over the 7 days up to the latest play', () => {
    const plays = ['01', '02', '08', '09', '09', '10'].map((day, i) => started(`s${i}`, day));
    const entry = fold(catalog, [created, ...encoded('e1'), published, ...plays]).get('t1') as CatalogEntry;
    expect(entry.popularity).toBe(4);
    expect(Object.keys(entry.playsByDay).sort()).toEqual(['2026-11-08', '2026-11-09', '2026-11-10']);
  });
});

describe('title detail', () => {
  it('shows the content team where a title is, with the reason a failed encoding gave', () => {
    const failed: MarqueeEvent = {
      type: 'EncodingFailed',
      data: { titleId: 't1', encodingId: 'e2', reason: 'source has no video stream', at: at('05') },
    };
    const detail = fold(titleDetail, [created, encoded('e2')[0] as MarqueeEvent, failed]).get('t1') as TitleDetail;
    expect(detail.status).toBe('encoding-failed');
    expect(detail.encodings[0]).toMatchObject({
      status: 'failed',
      reason: 'source has no video stream',
      finishedAt: at('05'),
    });
    expect((fold(titleDetail, [created, ...encoded('e1'), published]).get('t1') as TitleDetail).status).toBe(
      'published',
    );
  });
});

describe('watch history and continue watching', () => {
  it('keeps the position, and marks a title finished near its end', () => {
    const history = fold(watchHistory, [started('s1', '10'), progressed('s1', 40)]).get('p1:t1') as WatchHistoryEntry;
    expect(history).toMatchObject({ positionSeconds: 40, durationSeconds: 100, completed: false, sessions: 1 });
    const done = fold(watchHistory, [started('s1', '10'), progressed('s1', 96)]).get('p1:t1') as WatchHistoryEntry;
    expect(done.completed).toBe(true);
  });
  it('holds a started title in the row until it is finished, then lets it go', () => {
    expect(fold(continueWatching, [started('s1', '10'), progressed('s1', 40)]).get('p1:t1')).toMatchObject({
      progress: 0.4,
    });
    expect(fold(continueWatching, [started('s1', '10'), progressed('s1', 40), progressed('s1', 99)]).has('p1:t1')).toBe(
      false,
    );
    expect(
      fold(continueWatching, [
        started('s1', '10'),
        progressed('s1', 99),
        started('s2', '11', 0),
        progressed('s2', 5),
      ]).get('p1:t1'),
    ).toMatchObject({ positionSeconds: 5 });
  });
});

describe('accounts', () => {
  it('never holds the password hash', () => {
    const docs = fold(accounts, [
      {
        type: 'AccountRegistered',
        data: { accountId: 'a1', email: 'a@example.com', passwordHash: 'scrypt$secret', at: at('01') },
      },
      { type: 'SubscriptionStarted', data: { accountId: 'a1', plan: 'standard', at: at('01') } },
      { type: 'ProfileCreated', data: { accountId: 'a1', profileId: 'p1', name: 'Ada', kids: false, at: at('01') } },
    ]);
    expect(docs.get('a1')).toMatchObject({
      plan: 'standard',
      status: 'active',
      profiles: [{ profileId: 'p1', name: 'Ada', kids: false }],
    });
    expect(JSON.stringify(docs.get('a1'))).not.toMatch(/scrypt|passwordHash/);
  });
});

describe('edge inventory', () => {
  it('tracks what each edge holds, its used bytes, and drops evicted encodings', () => {
    const edge = { edgeId: 'eu', titleId: 't1', encodingId: 'e1' };
    const docs = fold(edgeInventory, [
      {
        type: 'EdgeRegistered',
        data: { edgeId: 'eu', url: 'http://eu', region: 'eu', capacityBytes: 1000, upstream: 'http://o', at: at('01') },
      },
      { type: 'EdgeFillStarted', data: { ...edge, bytes: 400, at: at('02') } },
      { type: 'EdgeFillCompleted', data: { ...edge, bytes: 400, seconds: 3, at: at('02') } },
    ]);
    expect(docs.get('eu')).toMatchObject({ usedBytes: 400, heldEncodings: ['t1/e1'], heldTitles: ['t1'], filling: [] });
    const evicted = fold(edgeInventory, [
      {
        type: 'EdgeRegistered',
        data: { edgeId: 'eu', url: 'http://eu', region: 'eu', capacityBytes: 1000, upstream: 'http://o', at: at('01') },
      },
      { type: 'EdgeFillStarted', data: { ...edge, bytes: 400, at: at('02') } },
      { type: 'EdgeFillCompleted', data: { ...edge, bytes: 400, seconds: 3, at: at('02') } },
      { type: 'EdgeEvicted', data: { ...edge, bytes: 400, reason: 'unpublished', at: at('03') } },
    ]);
    expect(evicted.get('eu')).toMatchObject({ usedBytes: 0, heldEncodings: [] });
  });

  it('counts the files a revision shares by hard link once in used bytes, before and after the old one goes', () => {
    const first = { edgeId: 'eu', titleId: 't1', encodingId: 'e1' };
    const revision = { ...first, encodingId: 'e2' };
    const bothHeld: MarqueeEvent[] = [
      {
        type: 'EdgeRegistered',
        data: { edgeId: 'eu', url: 'http://eu', region: 'eu', capacityBytes: 1000, upstream: 'http://o', at: at('01') },
      },
      { type: 'EdgeFillStarted', data: { ...first, bytes: 400, at: at('02') } },
      { type: 'EdgeFillCompleted', data: { ...first, bytes: 400, seconds: 3, at: at('02') } },
      { type: 'EdgeFillStarted', data: { ...revision, bytes: 50, at: at('03') } },
      {
        type: 'EdgeFillCompleted',
        data: { ...revision, bytes: 420, seconds: 1, shared: [{ encodingId: 'e1', bytes: 370 }], at: at('03') },
      },
    ];
    // 400 + the revision's 50 new bytes: the disk holds the 370 shared once.
    expect(fold(edgeInventory, bothHeld).get('eu')).toMatchObject({
      usedBytes: 450,
      held: [
        { encodingId: 'e1', bytes: 30 },
        { encodingId: 'e2', bytes: 420 },
      ],
    });
    const oldGone = fold(edgeInventory, [
      ...bothHeld,
      { type: 'EdgeEvicted', data: { ...first, bytes: 30, reason: 'superseded', at: at('04') } },
    ]);
    expect(oldGone.get('eu')).toMatchObject({ usedBytes: 420, heldEncodings: ['t1/e2'] });
    // The revision evicted first: its 50 new bytes go, the 370 it shared stay with e1.
    const revisionGone = fold(edgeInventory, [
      ...bothHeld,
      {
        type: 'EdgeEvicted',
        data: { ...revision, bytes: 50, reason: 'capacity', kept: [{ encodingId: 'e1', bytes: 370 }], at: at('04') },
      },
    ]);
    expect(revisionGone.get('eu')).toMatchObject({
      usedBytes: 400,
      held: [{ encodingId: 'e1', bytes: 400 }],
      heldEncodings: ['t1/e1'],
    });
  });
});

describe('title stats and QoE', () => {
  const qoe = (
    edgeId: string | null,
    startupMs: number,
    rebufferMs: number,
    averageBitrateKbps: number,
    watchedSeconds: number,
  ): MarqueeEvent => ({
    type: 'PlaybackQoEReported',
    data: {
      ...session,
      sessionId: 's',
      edgeId,
      startupMs,
      rebufferCount: rebufferMs > 0 ? 1 : 0,
      rebufferMs,
      averageBitrateKbps,
      switches: 0,
      watchedSeconds,
      at: at('10'),
    },
  });
  it('counts plays per day and averages startup, rebuffer ratio and bitrate weighted by time watched', () => {
    const stats = fold(titleStats, [
      started('s1', '09'),
      started('s2', '10'),
      started('s3', '10'),
      qoe('eu', 400, 0, 1000, 30),
      qoe('eu', 800, 1000, 4000, 10),
    ]).get('t1');
    expect(stats).toMatchObject({ plays: 3, playsByDay: { '2026-11-09': 1, '2026-11-10': 2 } });
    expect((stats as { qoe: object }).qoe).toMatchObject({
      reports: 2,
      avgStartupMs: 600,
      avgBitrateKbps: 1750,
      rebufferRatio: 1000 / 41_000,
    });
  });
  it('keeps QoE per edge, with the origin under its own name', () => {
    const docs = fold(edgeQoE, [qoe('eu', 400, 0, 1000, 30), qoe(null, 900, 0, 1000, 30)]);
    expect([...docs.keys()].sort()).toEqual(['eu', 'origin']);
  });
});

describe('series, episodes and maturity in the catalog', () => {
  const series: MarqueeEvent[] = [
    {
      type: 'SeriesCreated',
      data: {
        seriesId: 'sr1',
        name: 'Harbour',
        synopsis: 's',
        genres: ['drama'],
        year: 2024,
        maturityRating: '13+',
        at: at('01'),
      },
    },
    { type: 'EpisodeAdded', data: { seriesId: 'sr1', titleId: 'ep2', season: 1, episode: 2, at: at('01') } },
    { type: 'EpisodeAdded', data: { seriesId: 'sr1', titleId: 'ep1', season: 1, episode: 1, at: at('01') } },
  ];
  const episode = (titleId: string, number: number): MarqueeEvent => ({
    type: 'TitleCreated',
    data: {
      titleId,
      name: `Harbour ${number}`,
      synopsis: 's',
      genres: ['drama'],
      year: 2024,
      maturityRating: '7+',
      episodeOf: { seriesId: 'sr1', season: 1, episode: number },
      at: at('01'),
    },
  });
  const publishedEpisode: MarqueeEvent = {
    type: 'TitlePublished',
    data: { titleId: 'ep1', encodingId: 'e1', manifestPath: 'ep1/e1/manifest.mpd', at: at('03') },
  };
  const seriesPublished: MarqueeEvent = { type: 'SeriesPublished', data: { seriesId: 'sr1', at: at('04') } };

  it('lists a published series once, never its episodes, with its episodes in order', () => {
    const docs = fold(catalog, [...series, episode('ep1', 1), episode('ep2', 2), publishedEpisode, seriesPublished]);
    expect(docs.get('sr1')).toMatchObject({
      kind: 'series',
      listed: true,
      published: true,
      publishedAt: at('04'),
      episodes: [
        { titleId: 'ep1', season: 1, episode: 1 },
        { titleId: 'ep2', season: 1, episode: 2 },
      ],
    });
    expect(docs.get('ep1')).toMatchObject({
      kind: 'episode',
      published: true,
      listed: false,
      episodeOf: { seriesId: 'sr1', season: 1, episode: 1 },
    });
    const withdrawn = fold(catalog, [
      ...series,
      seriesPublished,
      { type: 'SeriesUnpublished', data: { seriesId: 'sr1', at: at('05') } },
    ]);
    expect(withdrawn.get('sr1')).toMatchObject({ listed: false, published: false });
  });

  it('lists a published film, marked as a film', () => {
    expect(fold(catalog, [created, ...encoded('e1'), published]).get('t1')).toMatchObject({
      kind: 'film',
      listed: true,
      episodeOf: null,
    });
  });

  it('indexes the levels that may see an entry, and follows a changed rating', () => {
    const film = fold(catalog, [created]).get('t1') as CatalogEntry;
    expect(film.viewableBy).toEqual(['13+', '16+', '18+']);
    const raised = fold(catalog, [
      created,
      { type: 'TitleMetadataUpdated', data: { titleId: 't1', maturityRating: '18+', at: at('02') } },
    ]).get('t1') as CatalogEntry;
    expect(raised.viewableBy).toEqual(['18+']);
    const relaxedSeries = fold(catalog, [
      ...series,
      { type: 'SeriesMetadataUpdated', data: { seriesId: 'sr1', maturityRating: 'all', at: at('02') } },
    ]).get('sr1') as CatalogEntry;
    expect(relaxedSeries.viewableBy).toEqual(['all', '7+', '13+', '16+', '18+']);
  });

  it('counts an episode play for the episode and for its series', () => {
    const play: MarqueeEvent = {
      type: 'PlaybackStarted',
      data: {
        sessionId: 's1',
        accountId: 'a1',
        profileId: 'p1',
        titleId: 'ep1',
        seriesId: 'sr1',
        episodeOf: { seriesId: 'sr1', season: 1, episode: 1 },
        encodingId: 'e1',
        manifestPath: 'ep1/e1/manifest.mpd',
        durationSeconds: 100,
        maxHeight: 720,
        edges: [],
        region: null,
        resumeFromSeconds: 0,
        at: at('10'),
      },
    };
    const docs = fold(catalog, [...series, episode('ep1', 1), publishedEpisode, seriesPublished, play, play]);
    expect((docs.get('sr1') as CatalogEntry).popularity).toBe(2);
    expect((docs.get('ep1') as CatalogEntry).popularity).toBe(2);
  });

  it('carries the intro and credits the content team set, and the title detail the proposal too', () => {
    const intro = { startSeconds: 5, endSeconds: 35 };
    const events: MarqueeEvent[] = [
      episode('ep1', 1),
      { type: 'IntroProposed', data: { titleId: 'ep1', intro: { startSeconds: 4, endSeconds: 34 }, at: at('02') } },
      { type: 'TitleMarkersSet', data: { titleId: 'ep1', intro, credits: null, at: at('03') } },
    ];
    expect(fold(catalog, events).get('ep1')).toMatchObject({ intro, credits: null });
    expect(fold(titleDetail, events).get('ep1') as TitleDetail).toMatchObject({
      episodeOf: { seriesId: 'sr1', season: 1, episode: 1 },
      markers: { intro, credits: null },
      introProposal: { startSeconds: 4, endSeconds: 34 },
      updatedAt: at('03'),
    });
  });

  it('keeps the series for the content team, unpublished episodes places included', () => {
    const detail = fold(seriesDetail, [...series, seriesPublished]).get('sr1') as SeriesDetail;
    expect(detail).toMatchObject({ name: 'Harbour', published: true, publishedAt: at('04') });
    expect(detail.episodes.map((slot) => slot.titleId)).toEqual(['ep1', 'ep2']);
  });
});

describe('continue watching per series', () => {
  const episodeSession = (sessionId: string, titleId: string, number: number, day: string): MarqueeEvent => ({
    type: 'PlaybackStarted',
    data: {
      sessionId,
      accountId: 'a1',
      profileId: 'p1',
      titleId,
      seriesId: 'sr1',
      episodeOf: { seriesId: 'sr1', season: 1, episode: number },
      encodingId: 'e1',
      manifestPath: `${titleId}/e1/manifest.mpd`,
      durationSeconds: 100,
      maxHeight: 720,
      edges: [],
      region: null,
      resumeFromSeconds: 0,
      at: at(day),
    },
  });
  const episodeProgress = (sessionId: string, titleId: string, positionSeconds: number): MarqueeEvent => ({
    type: 'PlaybackProgressed',
    data: { sessionId, accountId: 'a1', profileId: 'p1', titleId, seriesId: 'sr1', positionSeconds, at: at('12') },
  });

  it('keeps one row per series, on the episode played last', () => {
    const docs = fold(continueWatching, [
      episodeSession('s1', 'ep1', 1, '10'),
      episodeProgress('s1', 'ep1', 40),
      episodeSession('s2', 'ep2', 2, '11'),
      episodeProgress('s2', 'ep2', 20),
    ]);
    expect([...docs.keys()]).toEqual(['p1:sr1']);
    expect(docs.get('p1:sr1')).toMatchObject({
      titleId: 'ep2',
      episodeOf: { seriesId: 'sr1', season: 1, episode: 2 },
      positionSeconds: 20,
      completed: false,
      sessions: 1,
    });
  });

  it('keeps a finished episode in the row, marked finished, so the reader offers the next', () => {
    const entry = fold(continueWatching, [episodeSession('s1', 'ep1', 1, '10'), episodeProgress('s1', 'ep1', 99)]).get(
      'p1:sr1',
    ) as ContinueWatchingEntry;
    expect(entry).toMatchObject({ titleId: 'ep1', completed: true });
  });

  it("ignores a late heartbeat from an earlier episode's session", () => {
    const entry = fold(continueWatching, [
      episodeSession('s1', 'ep1', 1, '10'),
      episodeSession('s2', 'ep2', 2, '11'),
      episodeProgress('s1', 'ep1', 80),
    ]).get('p1:sr1') as ContinueWatchingEntry;
    expect(entry).toMatchObject({ titleId: 'ep2', positionSeconds: 0 });
  });

  it('names the series and place of an episode in the watch history', () => {
    const docs = fold(watchHistory, [episodeSession('s1', 'ep1', 1, '10'), episodeProgress('s1', 'ep1', 30)]);
    expect(docs.get('p1:ep1')).toMatchObject({
      episodeOf: { seriesId: 'sr1', season: 1, episode: 1 },
      positionSeconds: 30,
    });
    expect(fold(watchHistory, [started('s1', '10')]).get('p1:t1')).toMatchObject({ episodeOf: null });
  });
});

describe('profile maturity levels', () => {
  const registered: MarqueeEvent = {
    type: 'AccountRegistered',
    data: { accountId: 'a1', email: 'a@example.com', passwordHash: 'scrypt$secret', at: at('01') },
  };
  it('gives a profile made without a level the default for its kind, and follows a set level', () => {
    const docs = fold(accounts, [
      registered,
      { type: 'ProfileCreated', data: { accountId: 'a1', profileId: 'p1', name: 'Ada', kids: false, at: at('01') } },
      { type: 'ProfileCreated', data: { accountId: 'a1', profileId: 'p2', name: 'Kid', kids: true, at: at('01') } },
      {
        type: 'ProfileCreated',
        data: { accountId: 'a1', profileId: 'p3', name: 'Teen', kids: false, maturityLevel: '13+', at: at('01') },
      },
      {
        type: 'ProfileMaturityLevelSet',
        data: { accountId: 'a1', profileId: 'p1', maturityLevel: '16+', at: at('02') },
      },
    ]);
    expect((docs.get('a1') as { profiles: { profileId: string; maturityLevel: string }[] }).profiles).toMatchObject([
      { profileId: 'p1', maturityLevel: '16+' },
      { profileId: 'p2', maturityLevel: '7+' },
      { profileId: 'p3', maturityLevel: '13+' },
    ]);
  });
});

describe('audio tracks, captions and seek previews', () => {
  const tracks = {
    audio: [
      { language: 'en', trackId: null },
      { language: null, trackId: null },
      { language: 'fr', trackId: 'tr-fr' },
    ],
    captions: [{ language: 'de', sha256: 'd'.repeat(64) }],
    thumbnails: { intervalSeconds: 10, columns: 5, rows: 5, tileWidth: 160, tileHeight: 90 },
  };
  const encodedWith = (encodingId: string, packaged: typeof tracks, revisionOf?: string): MarqueeEvent[] => {
    const [startedEvent, succeeded] = encoded(encodingId) as [MarqueeEvent, MarqueeEvent];
    if (startedEvent.type !== 'EncodingStarted' || succeeded.type !== 'EncodingSucceeded')
      throw new Error('unreachable');
    return [
      { ...startedEvent, data: { ...startedEvent.data, ...(revisionOf && { revisionOf }) } },
      { ...succeeded, data: { ...succeeded.data, tracks: packaged } },
    ];
  };
  const publishedAs = (encodingId: string, day: string): MarqueeEvent => ({
    type: 'TitlePublished',
    data: { titleId: 't1', encodingId, manifestPath: `t1/${encodingId}/manifest.mpd`, at: at(day) },
  });
  const captionsAdded = (language: string, seed: string, day: string): MarqueeEvent => ({
    type: 'CaptionsAdded',
    data: { titleId: 't1', language, path: `/uploads/${seed}.vtt`, sha256: seed.repeat(64), cueCount: 12, at: at(day) },
  });
  const audioAdded = (trackId: string, language: string, day: string): MarqueeEvent => ({
    type: 'AudioTrackAdded',
    data: { titleId: 't1', trackId, language, path: `/uploads/${trackId}.m4a`, sizeBytes: 9, sha256: sha, at: at(day) },
  });
  const withItalian = {
    ...tracks,
    audio: [...tracks.audio, { language: 'it', trackId: 'tr-it' }],
    captions: [...tracks.captions, { language: 'es', sha256: 'e'.repeat(64) }],
  };

  it('tells viewers the published encoding’s audio and caption languages in track order, unknown ones left out', () => {
    const entry = fold(catalog, [created, ...encodedWith('e1', tracks), publishedAs('e1', '03')]).get(
      't1',
    ) as CatalogEntry;
    expect(entry).toMatchObject({ audioLanguages: ['en', 'fr'], captionLanguages: ['de'], seekPreviews: true });
    const detail = fold(titleDetail, [created, ...encodedWith('e1', tracks), publishedAs('e1', '03')]).get(
      't1',
    ) as TitleDetail;
    expect(detail.published).toMatchObject({
      audioLanguages: ['en', 'fr'],
      captionLanguages: ['de'],
      seekPreviews: true,
    });
  });

  it('lists nothing for an encoding made before tracks existed, and nothing before the title is published', () => {
    const old = fold(catalog, [created, ...encoded('e1'), published]).get('t1') as CatalogEntry;
    expect(old).toMatchObject({ audioLanguages: [], captionLanguages: [], seekPreviews: false });
    const unpublished = fold(catalog, [created, ...encodedWith('e1', tracks)]).get('t1') as CatalogEntry;
    expect(unpublished).toMatchObject({ audioLanguages: [], captionLanguages: [], seekPreviews: false });
  });

  it('switches to a revision’s tracks when the revision is published, not when it succeeds', () => {
    const base = [created, ...encodedWith('e1', tracks), publishedAs('e1', '03')];
    const revision = encodedWith('e2', withItalian, 'e1');
    const succeeded = fold(catalog, [...base, ...revision]).get('t1') as CatalogEntry;
    expect(succeeded).toMatchObject({ encodingId: 'e1', audioLanguages: ['en', 'fr'], captionLanguages: ['de'] });
    const live = fold(catalog, [...base, ...revision, publishedAs('e2', '04')]).get('t1') as CatalogEntry;
    expect(live).toMatchObject({
      encodingId: 'e2',
      audioLanguages: ['en', 'fr', 'it'],
      captionLanguages: ['de', 'es'],
      seekPreviews: true,
    });
    const detail = fold(titleDetail, [...base, ...revision, publishedAs('e2', '04')]).get('t1') as TitleDetail;
    expect(detail.published).toMatchObject({ encodingId: 'e2', audioLanguages: ['en', 'fr', 'it'] });
    expect(detail.encodings.map((e) => [e.encodingId, e.revisionOf])).toEqual([
      ['e1', null],
      ['e2', 'e1'],
    ]);
    expect(detail.encodings[1]?.tracks).toEqual(withItalian);
  });

  it('shows the content team the captions and audio tracks added, newest per language, pending until packaged', () => {
    const added = [
      captionsAdded('de', 'd', '02'),
      audioAdded('tr-fr', 'fr', '02'),
      captionsAdded('es', 'a', '03'),
      captionsAdded('es', 'e', '04'),
      audioAdded('tr-it', 'it', '04'),
    ];
    const before = fold(titleDetail, [created, ...added, ...encodedWith('e1', tracks), publishedAs('e1', '03')]).get(
      't1',
    ) as TitleDetail;
    expect(before.captions).toEqual([
      { language: 'de', sha256: 'd'.repeat(64), cueCount: 12, at: at('02'), pending: false },
      { language: 'es', sha256: 'e'.repeat(64), cueCount: 12, at: at('04'), pending: true },
    ]);
    expect(before.audioTracks).toEqual([
      { trackId: 'tr-fr', language: 'fr', at: at('02'), pending: false },
      { trackId: 'tr-it', language: 'it', at: at('04'), pending: true },
    ]);
    const revised = [...encodedWith('e2', withItalian, 'e1'), publishedAs('e2', '05')];
    const after = fold(titleDetail, [
      created,
      ...added,
      ...encodedWith('e1', tracks),
      publishedAs('e1', '03'),
      ...revised,
    ]).get('t1') as TitleDetail;
    expect(after.captions.map((c) => c.pending)).toEqual([false, false]);
    expect(after.audioTracks.map((a) => a.pending)).toEqual([false, false]);
  });

  it('gives profiles no languages until set, then the ones set (null clears)', () => {
    const registered: MarqueeEvent = {
      type: 'AccountRegistered',
      data: { accountId: 'a1', email: 'a@example.com', passwordHash: 'scrypt$secret', at: at('01') },
    };
    const profileCreated = (profileId: string): MarqueeEvent => ({
      type: 'ProfileCreated',
      data: { accountId: 'a1', profileId, name: profileId, kids: false, at: at('01') },
    });
    const languagesSet = (audioLanguage: string | null, captionLanguage: string | null, day: string): MarqueeEvent => ({
      type: 'ProfileLanguagesSet',
      data: { accountId: 'a1', profileId: 'p1', audioLanguage, captionLanguage, at: at(day) },
    });
    const profilesOf = (events: MarqueeEvent[]) => (fold(accounts, events).get('a1') as AccountView).profiles;
    expect(profilesOf([registered, profileCreated('p1')])).toMatchObject([
      { profileId: 'p1', audioLanguage: null, captionLanguage: null },
    ]);
    const set = [registered, profileCreated('p1'), profileCreated('p2'), languagesSet('fr', 'en', '02')];
    expect(profilesOf(set)).toMatchObject([
      { profileId: 'p1', audioLanguage: 'fr', captionLanguage: 'en' },
      { profileId: 'p2', audioLanguage: null, captionLanguage: null },
    ]);
    expect(profilesOf([...set, languagesSet('fr', null, '03')])[0]).toMatchObject({ captionLanguage: null });
  });
});
