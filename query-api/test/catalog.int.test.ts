import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyst,
  content,
  failedTitle,
  publishedTitles,
  type Served,
  type Stores,
  startSample,
  stopSample,
  withdrawnTitle,
} from './sample-platform';

let stores: Stores;
let api: Served;
let viewer: { token: string };

beforeAll(async () => {
  ({ stores, api, viewer } = await startSample());
});
afterAll(() => stopSample({ api, stores }));

const ids = (body: { items: { titleId: string }[] }) => body.items.map((item) => item.titleId);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

describe('GET /catalog', () => {
  it('lists only published titles, most popular first by default', async () => {
    const { status, body } = await api.get('/catalog', viewer);
    expect(status).toBe(200);
    const expected = [...publishedTitles].sort((a, b) => b.plays - a.plays).map((t) => t.titleId);
    expect(ids(body)).toEqual(expected);
    expect(ids(body)).not.toContain(failedTitle.titleId);
    expect(ids(body)).not.toContain(withdrawnTitle.titleId);
    expect(body.nextCursor).toBeNull();
  });

  it('gives each title its public fields and popularity, not the counters behind it', async () => {
    const { body } = await api.get('/catalog?sort=name', viewer);
    const atlas = body.items.find((item: { titleId: string }) => item.titleId === 't-atlas');
    expect(Object.keys(atlas).sort()).toEqual(
      [
        'titleId',
        'kind',
        'name',
        'synopsis',
        'genres',
        'year',
        'maturityRating',
        'durationSeconds',
        'posterPath',
        'popularity',
        'publishedAt',
      ].sort(),
    );
    expect(atlas).toMatchObject({
      name: 'Atlas',
      popularity: 5,
      durationSeconds: 600,
      posterPath: 't-atlas/t-atlas-enc/poster.jpg',
      publishedAt: '2026-03-03T10:00:00.000Z',
    });
  });

  it('sorts by recency (latest publish first) and by name', async () => {
    const recency = await api.get('/catalog?sort=recency', viewer);
    expect(ids(recency.body)).toEqual(
      [...publishedTitles].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)).map((t) => t.titleId),
    );
    const name = await api.get('/catalog?sort=name', viewer);
    expect(ids(name.body)).toEqual([...publishedTitles].sort(byName).map((t) => t.titleId));
    const popularity = await api.get('/catalog?sort=popularity', viewer);
    // The three orders differ, so each sort really is applied.
    expect(
      new Set([ids(recency.body), ids(name.body), ids(popularity.body)].map((order) => order.join())),
    ).toHaveProperty('size', 3);
  });

  it('filters by genre, leaving out unpublished titles of that genre', async () => {
    const { body } = await api.get('/catalog?genre=drama&sort=name', viewer);
    expect(ids(body)).toEqual(
      publishedTitles
        .filter((t) => t.genres.includes('drama'))
        .sort(byName)
        .map((t) => t.titleId),
    );
  });

  it('searches names case-insensitively, combined with a genre', async () => {
    expect(ids((await api.get('/catalog?q=RoA', viewer)).body)).toEqual(['t-dune']);
    expect(ids((await api.get('/catalog?q=o&genre=comedy', viewer)).body)).toEqual(['t-echo']);
    expect(ids((await api.get('/catalog?q=Gone', viewer)).body)).toEqual([]);
  });

  it('pages with the cursor until the end, each title once, in the same order as one big page', async () => {
    for (const sort of ['popularity', 'recency', 'name']) {
      const all = ids((await api.get(`/catalog?sort=${sort}&limit=100`, viewer)).body);
      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/catalog?sort=${sort}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { status, body } = await api.get(query, viewer);
        expect(status).toBe(200);
        expect(body.items.length).toBeLessThanOrEqual(3);
        paged.push(...ids(body));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(paged).toEqual(all);
      expect(pages).toBe(Math.ceil(publishedTitles.length / 3));
    }
  });

  it('is open to every signed-in role and closed to anonymous callers', async () => {
    expect((await api.get('/catalog', content)).status).toBe(200);
    expect((await api.get('/catalog', analyst)).status).toBe(200);
    const anonymous = await api.get('/catalog');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'Unauthenticated' });
  });
});

describe('GET /catalog/:titleId', () => {
  it('returns one published title', async () => {
    const { status, body } = await api.get('/catalog/t-echo', viewer);
    expect(status).toBe(200);
    expect(body).toMatchObject({ titleId: 't-echo', name: 'Echo Park', genres: ['comedy'] });
    expect(body).not.toHaveProperty('encodings');
    expect(body).not.toHaveProperty('playsByDay');
  });

  it.each([
    ['unknown', 't-nope'],
    ['never published', failedTitle.titleId],
    ['withdrawn', withdrawnTitle.titleId],
  ])('answers 404 TitleNotFound for a title that is %s', async (_, titleId) => {
    const { status, body } = await api.get(`/catalog/${titleId}`, viewer);
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'TitleNotFound', message: expect.stringContaining(titleId), details: null });
  });
});

describe('GET /titles (content team)', () => {
  it('lists every title, unpublished ones too, and filters by status', async () => {
    const all = await api.get('/titles?limit=100', content);
    expect(all.status).toBe(200);
    expect(ids(all.body).sort()).toEqual(
      [...publishedTitles.map((t) => t.titleId), failedTitle.titleId, withdrawnTitle.titleId].sort(),
    );
    const failed = await api.get('/titles?status=encoding-failed', content);
    expect(ids(failed.body)).toEqual([failedTitle.titleId]);
    const encoded = await api.get('/titles?status=encoded', content);
    expect(ids(encoded.body)).toEqual([withdrawnTitle.titleId]);
    expect(ids((await api.get('/titles?q=cellar', content)).body)).toEqual([failedTitle.titleId]);
  });

  it('lists the most recently changed first', async () => {
    const { body } = await api.get('/titles?limit=100', content);
    const updated = body.items.map((item: { updatedAt: string }) => item.updatedAt);
    expect(updated).toEqual([...updated].sort().reverse());
  });

  it('shows one title with its encodings and the failure reason', async () => {
    const { status, body } = await api.get(`/titles/${failedTitle.titleId}`, content);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      titleId: failedTitle.titleId,
      status: 'encoding-failed',
      published: null,
      encodings: [{ status: 'failed', reason: 'ffmpeg exited with code 1' }],
    });
    expect((await api.get('/titles/t-nope', content)).body).toMatchObject({ error: 'TitleNotFound' });
  });

  it('is for the content role only', async () => {
    for (const path of ['/titles', '/titles/t-atlas']) {
      const asViewer = await api.get(path, viewer);
      expect(asViewer.status).toBe(403);
      expect(asViewer.body.message).toMatch(/content role; you are signed in as a viewer/);
      const asAnalyst = await api.get(path, analyst);
      expect(asAnalyst.status).toBe(403);
      expect(asAnalyst.body.message).toContain('analyst key "insights"');
      expect((await api.get(path)).status).toBe(401);
    }
  });
});
