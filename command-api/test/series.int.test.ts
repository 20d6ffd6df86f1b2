import { streamName, titleDecider } from '@marquee/domain';
import { handleCommand } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandApi,
  content,
  createdTitle,
  eventTypes,
  recordEncoding,
  signUpViewer,
  startCommandApi,
} from './command-platform';

let api: CommandApi;
beforeAll(async () => {
  api = await startCommandApi();
});
afterAll(() => api.close());

const newSeries = {
  name: 'Deep Field',
  synopsis: 'Astronomers at the edge.',
  genres: ['drama', 'scifi'],
  year: 2025,
  maturityRating: '13+',
};
const key = (what: string) => ({ 'idempotency-key': `${what}-${Math.random().toString(36).slice(2)}` });
const createSeries = async () => {
  const created = await api.post('/series', content, newSeries);
  expect(created.status).toBe(201);
  return created.body.seriesId as string;
};
const seriesEvents = (seriesId: string) => eventTypes(api.eventStore, streamName('series', seriesId));
const titleEvents = async (titleId: string) => {
  const events = [];
  for await (const event of api.eventStore.readStream(streamName('title', titleId))) events.push(event);
  return events;
};

describe('series', () => {
  it('creates a series, updates only the fields sent, publishes and unpublishes it', async () => {
    const created = await api.post('/series', content, newSeries);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ seriesId: expect.any(String), ...newSeries });
    const { seriesId } = created.body;
    const updated = await api.call('PATCH', `/series/${seriesId}`, content, { maturityRating: '16+' });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ seriesId, ...newSeries, maturityRating: '16+' });
    expect((await api.post(`/series/${seriesId}/publish`, content)).body).toEqual({ seriesId, published: true });
    const again = await api.post(`/series/${seriesId}/publish`, content);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('SeriesAlreadyPublished');
    expect((await api.post(`/series/${seriesId}/unpublish`, content)).body).toEqual({ seriesId, published: false });
    const notPublished = await api.post(`/series/${seriesId}/unpublish`, content);
    expect(notPublished.status).toBe(409);
    expect(notPublished.body.error).toBe('SeriesNotPublished');
    expect(await seriesEvents(seriesId)).toEqual([
      'SeriesCreated',
      'SeriesMetadataUpdated',
      'SeriesPublished',
      'SeriesUnpublished',
    ]);
  });
  it('refuses bad metadata by field, an empty update with 422, and an unknown series with 404', async () => {
    const bad = await api.post('/series', content, { ...newSeries, maturityRating: 'R', year: 1500 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((p: { parameter: string }) => p.parameter).sort()).toEqual(['maturityRating', 'year']);
    const seriesId = await createSeries();
    const empty = await api.call('PATCH', `/series/${seriesId}`, content, {});
    expect(empty.status).toBe(422);
    expect(empty.body.error).toBe('NothingToUpdate');
    for (const [method, path] of [
      ['PATCH', '/series/nope'],
      ['POST', '/series/nope/publish'],
      ['POST', '/series/nope/unpublish'],
    ] as const) {
      const missing = await api.call(method, path, content, method === 'PATCH' ? { year: 2020 } : {});
      expect(missing.status, path).toBe(404);
      expect(missing.body.error, path).toBe('SeriesNotFound');
    }
    expect(await seriesEvents('nope')).toEqual([]);
  });
  it('is for the content team', async () => {
    const ada = await signUpViewer(api, 'basic');
    expect((await api.post('/series', ada.viewer, newSeries)).status).toBe(403);
    expect((await api.post('/series', undefined, newSeries)).status).toBe(401);
  });
});

describe('adding an episode', () => {
  it("creates the episode's title in its place, its missing metadata taken from the series", async () => {
    const seriesId = await createSeries();
    const added = await api.post(`/series/${seriesId}/episodes`, content, {
      season: 1,
      episode: 2,
      name: 'Pilot, part two',
      maturityRating: '16+',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ titleId: expect.any(String), seriesId, season: 1, episode: 2 });
    const [created, ...more] = await titleEvents(added.body.titleId);
    expect(more).toEqual([]);
    expect(created).toMatchObject({
      type: 'TitleCreated',
      data: {
        titleId: added.body.titleId,
        name: 'Pilot, part two',
        synopsis: newSeries.synopsis,
        genres: newSeries.genres,
        year: newSeries.year,
        maturityRating: '16+',
        episodeOf: { seriesId, season: 1, episode: 2 },
      },
    });
    expect(await seriesEvents(seriesId)).toEqual(['SeriesCreated', 'EpisodeAdded']);
    // The episode is a title like a film: its own endpoints publish it once encoded.
    await recordEncoding(api.eventStore, added.body.titleId, [360, 720]);
    expect((await api.post(`/titles/${added.body.titleId}/publish`, content)).status).toBe(200);
  });
  it('adds one episode however often the same request is retried with its Idempotency-Key', async () => {
    const seriesId = await createSeries();
    const sameKey = key('episode');
    const body = { season: 1, episode: 1, name: 'Pilot' };
    const first = await api.post(`/series/${seriesId}/episodes`, content, body, sameKey);
    const retry = await api.post(`/series/${seriesId}/episodes`, content, body, sameKey);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await seriesEvents(seriesId)).toEqual(['SeriesCreated', 'EpisodeAdded']);
    expect((await titleEvents(first.body.titleId)).map((e) => e.type)).toEqual(['TitleCreated']);
  });
  it('adds one episode when a retry runs the command again (its kept answer lost): the same title, nothing new', async () => {
    // The kept answers are in a Redis that does not answer, so each request runs the command.
    const degraded = await startCommandApi({ redisUrl: 'redis://127.0.0.1:1' });
    try {
      const { body: series } = await degraded.post('/series', content, newSeries);
      const sameKey = key('episode');
      const body = { season: 2, episode: 1, name: 'Return' };
      const first = await degraded.post(`/series/${series.seriesId}/episodes`, content, body, sameKey);
      const retry = await degraded.post(`/series/${series.seriesId}/episodes`, content, body, sameKey);
      expect(first.status).toBe(201);
      expect(retry.headers.get('idempotency-store')).toBe('unavailable');
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(await eventTypes(degraded.eventStore, streamName('series', series.seriesId))).toEqual([
        'SeriesCreated',
        'EpisodeAdded',
      ]);
      expect(await eventTypes(degraded.eventStore, streamName('title', first.body.titleId))).toEqual(['TitleCreated']);
    } finally {
      await degraded.close();
    }
  });
  it("finishes the episode's title when its first write fails after the place was reserved", async () => {
    // The first write of an episode's title fails once (a full disk); the place is already reserved.
    let failures = 1;
    const flaky = await startCommandApi({
      wrapEventStore: (store) => ({
        ...store,
        appendToStream: (stream, events, options) =>
          stream.startsWith('title-') && events[0]?.type === 'TitleCreated' && failures-- > 0
            ? Promise.reject(new Error('disk full'))
            : store.appendToStream(stream, events, options),
      }),
    });
    try {
      const { body: series } = await flaky.post('/series', content, newSeries);
      const sameKey = key('episode');
      const body = { season: 1, episode: 1, name: 'Pilot' };
      const failed = await flaky.post(`/series/${series.seriesId}/episodes`, content, body, sameKey);
      expect(failed.status).toBe(500);
      // The title was written again at once, so the reserved place names a title that exists.
      const reserved = [];
      for await (const event of flaky.eventStore.readStream(streamName('series', series.seriesId)))
        if (event.type === 'EpisodeAdded') reserved.push(event.data.titleId as string);
      expect(reserved).toHaveLength(1);
      expect(await eventTypes(flaky.eventStore, streamName('title', reserved[0] ?? ''))).toEqual(['TitleCreated']);
      const retry = await flaky.post(`/series/${series.seriesId}/episodes`, content, body, sameKey);
      expect(retry.status).toBe(201);
      expect(retry.body.titleId).toBe(reserved[0]);
      expect(await eventTypes(flaky.eventStore, streamName('series', series.seriesId))).toEqual([
        'SeriesCreated',
        'EpisodeAdded',
      ]);
      expect(await eventTypes(flaky.eventStore, streamName('title', retry.body.titleId))).toEqual(['TitleCreated']);
    } finally {
      await flaky.close();
    }
  });
  it('refuses a place another episode holds with 409, and writes no title for it', async () => {
    const seriesId = await createSeries();
    const body = { season: 1, episode: 1, name: 'Pilot' };
    expect((await api.post(`/series/${seriesId}/episodes`, content, body)).status).toBe(201);
    const before = await api.eventStore.headPosition();
    const taken = await api.post(`/series/${seriesId}/episodes`, content, { ...body, name: 'Another pilot' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'EpisodePlaceTaken', message: expect.stringMatching(/episode 1/) });
    expect(await api.eventStore.headPosition()).toBe(before);
  });
  it('refuses an unknown series with 404 and a bad place by field, writing nothing', async () => {
    const before = await api.eventStore.headPosition();
    const missing = await api.post('/series/nope/episodes', content, { season: 1, episode: 1, name: 'Pilot' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('SeriesNotFound');
    const seriesId = await createSeries();
    const bad = await api.post(`/series/${seriesId}/episodes`, content, { season: 0, episode: 1.5, name: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((p: { parameter: string }) => p.parameter).sort()).toEqual([
      'episode',
      'name',
      'season',
    ]);
    expect(await seriesEvents(seriesId)).toEqual(['SeriesCreated']);
    expect(await api.eventStore.headPosition()).toBe(before + 1);
  });
});

describe('intro and credits markers', () => {
  /** An encoded title of 600 s. */
  const encoded = async () => {
    const titleId = await createdTitle(api);
    await recordEncoding(api.eventStore, titleId, [360]);
    return titleId;
  };
  const markersEvents = async (titleId: string) =>
    (await titleEvents(titleId)).filter((e) => e.type === 'TitleMarkersSet' || e.type === 'IntroProposed');

  it('sets the intro and credits, clears one with null, and records a repeat once', async () => {
    const titleId = await encoded();
    const markers = { intro: { startSeconds: 5, endSeconds: 65 }, credits: { startSeconds: 560, endSeconds: 600 } };
    const set = await api.call('PUT', `/titles/${titleId}/markers`, content, markers);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ titleId, ...markers });
    expect((await api.call('PUT', `/titles/${titleId}/markers`, content, markers)).status).toBe(200);
    const cleared = await api.call('PUT', `/titles/${titleId}/markers`, content, { ...markers, credits: null });
    expect(cleared.body).toEqual({ titleId, intro: markers.intro, credits: null });
    expect((await markersEvents(titleId)).map((e) => e.data)).toEqual([
      expect.objectContaining(markers),
      expect.objectContaining({ intro: markers.intro, credits: null }),
    ]);
  });
  it('refuses markers that do not fit the title with 422 naming the field, and records nothing', async () => {
    const titleId = await encoded();
    const cases = [
      [{ intro: { startSeconds: 60, endSeconds: 10 }, credits: null }, /intro: must end after it starts/],
      [{ intro: null, credits: { startSeconds: 560, endSeconds: 700 } }, /credits: must end within the title's 600 s/],
      [
        { intro: { startSeconds: 0, endSeconds: 580 }, credits: { startSeconds: 560, endSeconds: 600 } },
        /credits: must start after the intro ends/,
      ],
    ] as const;
    for (const [markers, message] of cases) {
      const refused = await api.call('PUT', `/titles/${titleId}/markers`, content, markers);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: 'InvalidMarkers', message: expect.stringMatching(message) });
    }
    const malformed = await api.call('PUT', `/titles/${titleId}/markers`, content, { intro: { startSeconds: -1 } });
    expect(malformed.status).toBe(400);
    expect(await markersEvents(titleId)).toEqual([]);
    expect((await api.call('PUT', '/titles/nope/markers', content, { intro: null, credits: null })).status).toBe(404);
  });
  it("accepts intro detection's proposal as the intro, keeping the credits; without a proposal it is 409", async () => {
    const titleId = await encoded();
    const none = await api.post(`/titles/${titleId}/intro/accept`, content);
    expect(none.status).toBe(409);
    expect(none.body.error).toBe('NoIntroProposal');
    const credits = { startSeconds: 570, endSeconds: 600 };
    await api.call('PUT', `/titles/${titleId}/markers`, content, { intro: null, credits });
    const intro = { startSeconds: 12, endSeconds: 72 };
    await handleCommand(api.eventStore, streamName('title', titleId), titleDecider, {
      type: 'ProposeIntro',
      intro,
      at: new Date().toISOString(),
    });
    const accepted = await api.post(`/titles/${titleId}/intro/accept`, content);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ titleId, intro, credits });
    expect((await api.post(`/titles/${titleId}/intro/accept`, content)).status).toBe(200);
    expect((await markersEvents(titleId)).map((e) => e.type)).toEqual([
      'TitleMarkersSet',
      'IntroProposed',
      'TitleMarkersSet',
    ]);
  });
});
