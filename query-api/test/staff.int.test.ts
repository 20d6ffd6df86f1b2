import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyst,
  content,
  edges,
  publishedTitles,
  type Served,
  type Stores,
  startSample,
  stopSample,
  type writeSample,
} from './sample-platform';

let stores: Stores;
let api: Served;
let viewer: { token: string };
let plays: Awaited<ReturnType<typeof writeSample>>['plays'];

beforeAll(async () => {
  ({ stores, api, viewer, plays } = await startSample());
});
afterAll(() => stopSample({ api, stores }));

const edgeIds = (body: { items: { edgeId: string }[] }) => body.items.map((item) => item.edgeId).sort();

describe('GET /edges', () => {
  it('lists the inventory for content and analysts alike', async () => {
    for (const staff of [content, analyst]) {
      const { status, body } = await api.get('/edges', staff);
      expect(status).toBe(200);
      expect(edgeIds(body)).toEqual(edges.map((e) => e.edgeId).sort());
    }
  });

  it('filters by the titles an edge holds, and by region', async () => {
    for (const titleId of ['t-atlas', 't-dune', 't-echo']) {
      const { body } = await api.get(`/edges?titleId=${titleId}`, content);
      expect(edgeIds(body)).toEqual(
        edges
          .filter((e) => e.holds.includes(titleId))
          .map((e) => e.edgeId)
          .sort(),
      );
    }
    expect(edgeIds((await api.get('/edges?region=us', content)).body)).toEqual(['edge-us1']);
  });

  it('shows one edge with its holdings, and 404 for an unknown one', async () => {
    const { status, body } = await api.get('/edges/edge-eu1', analyst);
    expect(status).toBe(200);
    expect(body).toMatchObject({ edgeId: 'edge-eu1', region: 'eu', usedBytes: 10_000_000, filling: [] });
    expect(body.heldTitles.sort()).toEqual(['t-atlas', 't-dune']);
    const missing = await api.get('/edges/edge-mars', analyst);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'EdgeNotFound', message: expect.stringContaining('edge-mars') });
  });

  it('is not for viewers', async () => {
    expect((await api.get('/edges', viewer)).status).toBe(403);
    expect((await api.get('/edges/edge-eu1', viewer)).status).toBe(403);
    expect((await api.get('/edges')).status).toBe(401);
  });
});

describe('GET /stats', () => {
  it('ranks the most played titles with their names', async () => {
    const { status, body } = await api.get('/stats/top-titles', analyst);
    expect(status).toBe(200);
    const played = publishedTitles.filter((t) => t.plays > 0).sort((a, b) => b.plays - a.plays);
    expect(
      body.items.map((i: { titleId: string; name: string; plays: number }) => [i.titleId, i.name, i.plays]),
    ).toEqual(played.map((t) => [t.titleId, t.name, t.plays]));
    expect((await api.get('/stats/top-titles?limit=1', analyst)).body.items).toHaveLength(1);
  });

  it("gives one title's plays per day and QoE, and zeros for a title nobody played", async () => {
    const { body } = await api.get('/stats/titles/t-atlas', analyst);
    const atlasPlays = plays.filter((p) => p.titleId === 't-atlas');
    expect(body).toMatchObject({
      titleId: 't-atlas',
      name: 'Atlas',
      plays: atlasPlays.length,
      playsByDay: { '2026-03-10': atlasPlays.length },
      qoe: { reports: atlasPlays.length, avgStartupMs: 400, avgBitrateKbps: 3000 },
    });
    const bloom = await api.get('/stats/titles/t-bloom', analyst);
    expect(bloom.status).toBe(200);
    expect(bloom.body).toMatchObject({ name: 'Bloom', plays: 0, playsByDay: {}, qoe: { reports: 0 } });
    expect((await api.get('/stats/titles/t-nope', analyst)).body).toMatchObject({ error: 'TitleNotFound' });
  });

  it('reports QoE per edge, the origin included, with the edge region', async () => {
    const { status, body } = await api.get('/stats/edges', analyst);
    expect(status).toBe(200);
    const reports = new Map<string, number>();
    for (const play of plays) reports.set(play.edgeId ?? 'origin', (reports.get(play.edgeId ?? 'origin') ?? 0) + 1);
    expect(
      Object.fromEntries(
        body.items.map((i: { edgeId: string; qoe: { reports: number } }) => [i.edgeId, i.qoe.reports]),
      ),
    ).toEqual(Object.fromEntries(reports));
    expect(body.items.find((i: { edgeId: string }) => i.edgeId === 'edge-us1').region).toBe('us');
    expect(body.items.find((i: { edgeId: string }) => i.edgeId === 'origin').region).toBeNull();
  });

  it('is for analysts only', async () => {
    for (const path of ['/stats/top-titles', '/stats/titles/t-atlas', '/stats/edges']) {
      const asContent = await api.get(path, content);
      expect(asContent.status).toBe(403);
      expect(asContent.body.message).toContain('analyst role');
      expect((await api.get(path, viewer)).status).toBe(403);
      expect((await api.get(path)).status).toBe(401);
    }
  });
});
