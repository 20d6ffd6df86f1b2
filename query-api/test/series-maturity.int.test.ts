import {
  accountDecider,
  type EpisodePlace,
  type MaturityRating,
  seriesDecider,
  streamName,
  titleDecider,
} from '@marquee/domain';
import { type EventStore, handleCommand } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  content,
  encodeAndPublish,
  openStores,
  rebuildViews,
  type Served,
  type Stores,
  serve,
  stopSample,
  viewerToken,
  watch,
} from './sample-platform';

/*
 * Series, episodes and maturity levels, read as a kids profile and as adults: a world written
 * through the deciders, its views rebuilt, the API served.
 */

const at = '2026-04-01T10:00:00.000Z';
const later = '2026-04-05T10:00:00.000Z';
const family = 'a-family';
const kid = { accountId: family, profileId: 'p-kid' };
const adult = { accountId: family, profileId: 'p-adult' };
const binger = { accountId: family, profileId: 'p-binger' };

const createRated = async (
  store: EventStore,
  titleId: string,
  maturityRating: MaturityRating,
  options: { name?: string; episodeOf?: EpisodePlace; genres?: string[] } = {},
) => {
  const stream = streamName('title', titleId);
  await handleCommand(store, stream, titleDecider, {
    type: 'CreateTitle',
    titleId,
    name: options.name ?? titleId,
    synopsis: `${titleId}: a test title.`,
    genres: options.genres ?? ['family'],
    year: 2025,
    maturityRating,
    ...(options.episodeOf && { episodeOf: options.episodeOf }),
    at,
  });
  await handleCommand(store, stream, titleDecider, {
    type: 'RecordSourceUpload',
    uploadId: `${titleId}-src`,
    path: `/uploads/${titleId}.mp4`,
    sizeBytes: 1_000_000,
    sha256: 'a'.repeat(64),
    probe: { durationSeconds: 600, width: 1920, height: 1080, frameRate: 25, videoCodec: 'h264', audioCodec: 'aac' },
    at,
  });
  await handleCommand(store, stream, titleDecider, {
    type: 'RecordEncodingStarted',
    encodingId: `${titleId}-enc`,
    uploadId: `${titleId}-src`,
    at,
  });
};

const createSeries = async (store: EventStore, seriesId: string, name: string, maturityRating: MaturityRating) =>
  handleCommand(store, streamName('series', seriesId), seriesDecider, {
    type: 'CreateSeries',
    seriesId,
    name,
    synopsis: `${name}: a test series.`,
    genres: ['family'],
    year: 2025,
    maturityRating,
    at,
  });

const addEpisode = async (
  store: EventStore,
  seriesId: string,
  titleId: string,
  place: { season: number; episode: number; rating: MaturityRating; publish: boolean },
) => {
  await handleCommand(store, streamName('series', seriesId), seriesDecider, {
    type: 'AddEpisode',
    titleId,
    season: place.season,
    episode: place.episode,
    at,
  });
  await createRated(store, titleId, place.rating, {
    name: `${titleId} name`,
    episodeOf: { seriesId, season: place.season, episode: place.episode },
  });
  if (place.publish) await encodeAndPublish(store, titleId, at);
};

const publishSeries = (store: EventStore, seriesId: string) =>
  handleCommand(store, streamName('series', seriesId), seriesDecider, { type: 'PublishSeries', at });

const writeWorld = async (store: EventStore) => {
  // Films: one for everyone, one for adults only, one that is raised to 18+ after the kid watched it.
  await createRated(store, 'f-cartoon', 'all', { name: 'Cartoon Park' });
  await encodeAndPublish(store, 'f-cartoon', at);
  await createRated(store, 'f-adult', '18+', { name: 'Night Park' });
  await encodeAndPublish(store, 'f-adult', at);
  await createRated(store, 'f-raised', '7+', { name: 'Raised Park' });
  await encodeAndPublish(store, 'f-raised', at);

  // Toons (7+): S1E1, S1E2, S1E3 (never published), S2E1, S2E2 (13+ itself, above the kid).
  await createSeries(store, 's-toon', 'Toons', '7+');
  await addEpisode(store, 's-toon', 'e-t2', { season: 1, episode: 2, rating: 'all', publish: true });
  await addEpisode(store, 's-toon', 'e-t1', { season: 1, episode: 1, rating: 'all', publish: true });
  await addEpisode(store, 's-toon', 'e-t3', { season: 1, episode: 3, rating: 'all', publish: false });
  await addEpisode(store, 's-toon', 'e-t4', { season: 2, episode: 1, rating: '7+', publish: true });
  await addEpisode(store, 's-toon', 'e-t5', { season: 2, episode: 2, rating: '13+', publish: true });
  await publishSeries(store, 's-toon');
  await handleCommand(store, streamName('title', 'e-t2'), titleDecider, {
    type: 'ProposeIntro',
    intro: { startSeconds: 9, endSeconds: 39 },
    at,
  });
  await handleCommand(store, streamName('title', 'e-t2'), titleDecider, {
    type: 'SetMarkers',
    intro: { startSeconds: 10, endSeconds: 40 },
    credits: { startSeconds: 570, endSeconds: 600 },
    at,
  });

  // Dark Park: rated "all" when the kid watched its episode, then raised to 18+; its episode stays "all" itself.
  await createSeries(store, 's-dark', 'Dark Park', 'all');
  await addEpisode(store, 's-dark', 'e-d1', { season: 1, episode: 1, rating: 'all', publish: true });
  await publishSeries(store, 's-dark');

  // Mixed Park (all): its first episode is 18+ itself, its second is for everyone.
  await createSeries(store, 's-mixed', 'Mixed Park', 'all');
  await addEpisode(store, 's-mixed', 'e-m1', { season: 1, episode: 1, rating: '18+', publish: true });
  await addEpisode(store, 's-mixed', 'e-m2', { season: 1, episode: 2, rating: 'all', publish: true });
  await publishSeries(store, 's-mixed');

  // A series never published, with a published episode.
  await createSeries(store, 's-draft', 'Draft Park', 'all');
  await addEpisode(store, 's-draft', 'e-x1', { season: 1, episode: 1, rating: 'all', publish: true });

  const account = streamName('account', family);
  await handleCommand(store, account, accountDecider, {
    type: 'RegisterAccount',
    accountId: family,
    email: 'family@example.com',
    passwordHash: 'scrypt$not-a-real-hash',
    at,
  });
  await handleCommand(store, account, accountDecider, { type: 'StartSubscription', plan: 'standard', at });
  for (const [profileId, kids] of [
    ['p-adult', false],
    ['p-kid', true],
    ['p-binger', false],
  ] as const)
    await handleCommand(store, account, accountDecider, {
      type: 'CreateProfile',
      profileId,
      name: profileId,
      kids,
      at,
    });
  await handleCommand(store, streamName('account', 'a-other'), accountDecider, {
    type: 'RegisterAccount',
    accountId: 'a-other',
    email: 'other@example.com',
    passwordHash: 'scrypt$not-a-real-hash',
    at,
  });
  await handleCommand(store, streamName('account', 'a-other'), accountDecider, {
    type: 'CreateProfile',
    profileId: 'p-other',
    name: 'other',
    kids: false,
    at,
  });

  const day = (hour: number) => `2026-04-02T${String(hour).padStart(2, '0')}:00:00.000Z`;
  // The kid finished Toons S1E1, is half way through the cartoon and the raised film, and watched Dark Park.
  await watch(store, { ...kid, titleId: 'e-t1', at: day(8), stopAtSeconds: 600 });
  await watch(store, { ...kid, titleId: 'f-cartoon', at: day(9), stopAtSeconds: 300 });
  await watch(store, { ...kid, titleId: 'f-raised', at: day(10), stopAtSeconds: 300 });
  await watch(store, { ...kid, titleId: 'e-d1', at: day(11), stopAtSeconds: 100 });
  // The adult is part way through S1E2; the binger finished the last episode.
  await watch(store, { ...adult, titleId: 'e-t1', at: day(12), stopAtSeconds: 600 });
  await watch(store, { ...adult, titleId: 'e-t2', at: day(13), stopAtSeconds: 250 });
  await watch(store, { ...binger, titleId: 'e-t5', at: day(14), stopAtSeconds: 600 });
  // Dark Park and the adult film are the most played, so popularity would rank them first.
  for (let i = 0; i < 5; i++) {
    await watch(store, { ...adult, titleId: 'e-d1', at: day(15 + i), stopAtSeconds: 10 });
    await watch(store, { ...adult, titleId: 'f-adult', at: day(15 + i), stopAtSeconds: 10 });
  }

  // Ratings raised after the kid watched: they must leave the kid's rows.
  await handleCommand(store, streamName('title', 'f-raised'), titleDecider, {
    type: 'UpdateTitleMetadata',
    changes: { maturityRating: '18+' },
    at: later,
  });
  await handleCommand(store, streamName('series', 's-dark'), seriesDecider, {
    type: 'UpdateSeriesMetadata',
    changes: { maturityRating: '18+' },
    at: later,
  });
};

let stores: Stores;
let api: Served;
let viewer: { token: string };
let other: { token: string };

beforeAll(async () => {
  stores = await openStores();
  await writeWorld(stores.eventStore);
  await rebuildViews(stores);
  api = await serve(stores);
  viewer = { token: await viewerToken(family) };
  other = { token: await viewerToken('a-other') };
});
afterAll(() => stopSample({ api, stores }));

const ids = (body: { items: { titleId: string }[] }) => body.items.map((item) => item.titleId);
const forbiddenForKid = ['f-adult', 'f-raised', 's-dark', 'e-d1'];

describe('browse as a profile', () => {
  it('never shows a kids profile an 18+ film or series, in any sort, search or genre', async () => {
    for (const query of ['', 'sort=popularity', 'sort=recency', 'sort=name', 'q=park', 'genre=family']) {
      const { status, body } = await api.get(`/catalog?profileId=p-kid&${query}`, viewer);
      expect(status).toBe(200);
      for (const id of forbiddenForKid) expect(ids(body)).not.toContain(id);
    }
    const { body } = await api.get('/catalog?profileId=p-kid&sort=name', viewer);
    expect(ids(body)).toEqual(['f-cartoon', 's-mixed', 's-toon']);
  });

  it('shows an adult profile everything published, each series once and no episode', async () => {
    const { body } = await api.get('/catalog?profileId=p-adult&sort=popularity', viewer);
    expect(ids(body).slice(0, 2).sort()).toEqual(['f-adult', 's-dark']);
    expect(ids(body).sort()).toEqual(['f-adult', 'f-cartoon', 'f-raised', 's-dark', 's-mixed', 's-toon']);
    expect(body.items.find((item: { titleId: string }) => item.titleId === 's-toon')).toMatchObject({
      kind: 'series',
      name: 'Toons',
      posterPath: 'e-t1/e-t1-enc/poster.jpg',
    });
  });

  it('is the public catalog without a profile, and refuses a profile of another account as not found', async () => {
    const open = await api.get('/catalog?sort=name', viewer);
    // By name: Cartoon Park, Dark Park, Mixed Park, Night Park, Raised Park, Toons.
    expect(ids(open.body)).toEqual(['f-cartoon', 's-dark', 's-mixed', 'f-adult', 'f-raised', 's-toon']);
    const foreign = await api.get('/catalog?profileId=p-other', viewer);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe('ProfileNotFound');
    expect((await api.get('/catalog/s-toon?profileId=p-other', viewer)).status).toBe(404);
    expect((await api.get('/catalog?profileId=p-kid', other)).status).toBe(404);
    expect((await api.get('/catalog?profileId=p-kid', content)).status).toBe(403);
  });
});

describe("a series' poster", () => {
  const posterOf = async (profileId: string) => {
    const { body } = await api.get(`/catalog?profileId=${profileId}&sort=name`, viewer);
    return body.items.find((item: { titleId: string }) => item.titleId === 's-mixed')?.posterPath;
  };

  it('is its first episode the profile may watch, never an episode above its level', async () => {
    expect(await posterOf('p-kid')).toBe('e-m2/e-m2-enc/poster.jpg');
    expect((await api.get('/catalog/s-mixed?profileId=p-kid', viewer)).body.posterPath).toBe(
      'e-m2/e-m2-enc/poster.jpg',
    );
    expect(await posterOf('p-adult')).toBe('e-m1/e-m1-enc/poster.jpg');
  });
});

describe('GET /catalog/:titleId as a profile', () => {
  it.each(forbiddenForKid)('refuses the kid %s with 403 AboveMaturityLevel, not naming it', async (titleId) => {
    const { status, body } = await api.get(`/catalog/${titleId}?profileId=p-kid`, viewer);
    expect(status).toBe(403);
    expect(body.error).toBe('AboveMaturityLevel');
    expect(body.message).not.toContain(titleId);
    expect(body.message).not.toMatch(/Park/);
    expect((await api.get(`/catalog/${titleId}?profileId=p-adult`, viewer)).status).toBe(200);
  });

  it('answers 404 for an unpublished episode and for an episode of an unpublished series', async () => {
    expect((await api.get('/catalog/e-t3?profileId=p-adult', viewer)).status).toBe(404);
    expect((await api.get('/catalog/e-x1', viewer)).status).toBe(404);
    expect((await api.get('/catalog/s-draft', viewer)).status).toBe(404);
  });

  it("lists a series' published episodes by season in order, held to the profile's level", async () => {
    const adultView = await api.get('/catalog/s-toon?profileId=p-adult', viewer);
    expect(adultView.status).toBe(200);
    expect(adultView.body).toMatchObject({ kind: 'series', name: 'Toons', episodeOf: null, nextEpisode: null });
    const seasons = (body: { seasons: { season: number; episodes: { titleId: string }[] }[] }) =>
      body.seasons.map((s) => [s.season, s.episodes.map((e) => e.titleId)]);
    expect(seasons(adultView.body)).toEqual([
      [1, ['e-t1', 'e-t2']],
      [2, ['e-t4', 'e-t5']],
    ]);
    expect(adultView.body.seasons[0].episodes[1]).toEqual({
      titleId: 'e-t2',
      episode: 2,
      name: 'e-t2 name',
      synopsis: 'e-t2: a test title.',
      durationSeconds: 600,
      posterPath: 'e-t2/e-t2-enc/poster.jpg',
    });
    const kidView = await api.get('/catalog/s-toon?profileId=p-kid', viewer);
    expect(seasons(kidView.body)).toEqual([
      [1, ['e-t1', 'e-t2']],
      [2, ['e-t4']],
    ]);
  });

  it('gives an episode its series, place, intro, credits and the next published episode the profile may watch', async () => {
    const { body } = await api.get('/catalog/e-t2?profileId=p-kid', viewer);
    expect(body).toMatchObject({
      kind: 'episode',
      episodeOf: { seriesId: 's-toon', seriesName: 'Toons', season: 1, episode: 2 },
      intro: { startSeconds: 10, endSeconds: 40 },
      credits: { startSeconds: 570, endSeconds: 600 },
      // S1E3 was never published: the next is the first of season 2.
      nextEpisode: { titleId: 'e-t4', season: 2, episode: 1, name: 'e-t4 name' },
      seasons: null,
    });
    expect((await api.get('/catalog/e-t4?profileId=p-kid', viewer)).body.nextEpisode).toBeNull();
    expect((await api.get('/catalog/e-t4?profileId=p-adult', viewer)).body.nextEpisode).toMatchObject({
      titleId: 'e-t5',
    });
    // An episode is rated at least as its series is.
    expect((await api.get('/catalog/e-d1?profileId=p-adult', viewer)).body.maturityRating).toBe('18+');
  });
});

describe('continue watching and history', () => {
  const row = (body: { items: { titleId: string; episodeOf: { seriesId: string } | null }[] }, seriesId: string) =>
    body.items.find((item) => item.episodeOf?.seriesId === seriesId);

  it("moves a finished episode's row to the next episode, from its start, and drops titles now above the level", async () => {
    const { status, body } = await api.get('/profiles/p-kid/continue-watching', viewer);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['f-cartoon', 'e-t2']);
    expect(row(body, 's-toon')).toMatchObject({
      titleId: 'e-t2',
      name: 'e-t2 name',
      episodeOf: { seriesId: 's-toon', seriesName: 'Toons', season: 1, episode: 2 },
      positionSeconds: 0,
      progress: 0,
      completed: false,
    });
  });

  it('resumes the episode in progress, one row per series', async () => {
    const { body } = await api.get('/profiles/p-adult/continue-watching', viewer);
    expect(
      body.items.filter((item: { episodeOf: { seriesId: string } | null }) => item.episodeOf?.seriesId === 's-toon'),
    ).toHaveLength(1);
    expect(row(body, 's-toon')).toMatchObject({ titleId: 'e-t2', positionSeconds: 250, progress: 250 / 600 });
  });

  it('lets a series go once its last episode is finished', async () => {
    const { body } = await api.get('/profiles/p-binger/continue-watching', viewer);
    expect(body.items).toEqual([]);
  });

  it("lists a kid's history with episodes under their series, without what is now above the level", async () => {
    const { status, body } = await api.get('/profiles/p-kid/history', viewer);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['f-cartoon', 'e-t1']);
    expect(body.items[1]).toMatchObject({
      titleId: 'e-t1',
      completed: true,
      episodeOf: { seriesId: 's-toon', seriesName: 'Toons', season: 1, episode: 1 },
    });
    const adultHistory = await api.get('/profiles/p-adult/history', viewer);
    expect(ids(adultHistory.body)).toContain('e-d1');
  });

  it("answers another account's profile as not found", async () => {
    expect((await api.get('/profiles/p-kid/continue-watching', other)).status).toBe(404);
    expect((await api.get('/profiles/p-kid/history', other)).status).toBe(404);
  });
});

describe('profiles and the content team', () => {
  it("shows each profile's maturity level on the account", async () => {
    const { body } = await api.get(`/accounts/${family}`, viewer);
    expect(body.profiles).toEqual([
      {
        profileId: 'p-adult',
        name: 'p-adult',
        kids: false,
        maturityLevel: '18+',
        audioLanguage: null,
        captionLanguage: null,
      },
      {
        profileId: 'p-kid',
        name: 'p-kid',
        kids: true,
        maturityLevel: '7+',
        audioLanguage: null,
        captionLanguage: null,
      },
      {
        profileId: 'p-binger',
        name: 'p-binger',
        kids: false,
        maturityLevel: '18+',
        audioLanguage: null,
        captionLanguage: null,
      },
    ]);
  });

  it("gives the content team an episode's place, markers and intro proposal", async () => {
    const { status, body } = await api.get('/titles/e-t2', content);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      episodeOf: { seriesId: 's-toon', season: 1, episode: 2 },
      markers: { intro: { startSeconds: 10, endSeconds: 40 }, credits: { startSeconds: 570, endSeconds: 600 } },
      introProposal: { startSeconds: 9, endSeconds: 39 },
    });
  });

  it('lists every series, and one series with all its episodes, unpublished ones too', async () => {
    const list = await api.get('/series?limit=100', content);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { seriesId: string }) => s.seriesId).sort()).toEqual([
      's-dark',
      's-draft',
      's-mixed',
      's-toon',
    ]);
    expect(
      (await api.get('/series?published=false', content)).body.items.map((s: { seriesId: string }) => s.seriesId),
    ).toEqual(['s-draft']);
    const { body } = await api.get('/series/s-toon', content);
    expect(body).toMatchObject({ seriesId: 's-toon', name: 'Toons', published: true, maturityRating: '7+' });
    expect(body.episodes.map((e: { titleId: string; status: string }) => [e.titleId, e.status])).toEqual([
      ['e-t1', 'published'],
      ['e-t2', 'published'],
      ['e-t3', 'encoding'],
      ['e-t4', 'published'],
      ['e-t5', 'published'],
    ]);
    expect(body.episodes[1]).toMatchObject({
      season: 1,
      episode: 2,
      introProposal: { startSeconds: 9, endSeconds: 39 },
    });
    expect((await api.get('/series/s-nope', content)).status).toBe(404);
    expect((await api.get('/series/s-toon', viewer)).status).toBe(403);
  });
});
