import { randomUUID } from 'node:crypto';
import { type MarqueeEvent, type ServingRow, streamName } from '@marquee/domain';
import { deterministicId, openRedisEdgeHealth, toEventsToAppend } from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { project, serveCommands } from './command-platform';
import {
  analyst,
  createTitle,
  encodeAndPublish,
  openStores,
  rebuildViews,
  redisUrl,
  registerEdge,
  type Served,
  type Stores,
  serve,
  stopSample,
  viewerToken,
} from './sample-platform';

/*
 * Three edges, one killed: viewers start plays through the real command API (which records the
 * holders steering chose among, with their health), the edges and the origin report what they
 * served, and the analyst's offload figures classify every miss exactly.
 *
 * eu-a holds A and B, eu-b holds A, us-a holds A and B; nobody holds C.
 */

const run = randomUUID().slice(0, 8);
const edge = { euA: `eu-a-${run}`, euB: `eu-b-${run}`, usA: `us-a-${run}` };
const title = { a: `ta-${run}`, b: `tb-${run}`, c: `tc-${run}` };
const edgeHealth = openRedisEdgeHealth(redisUrl);

type Play = { sessionId: string; titleId: string; region: string; servedBy: string | null };
type ServingData = Extract<MarqueeEvent, { type: 'ServingReported' }>['data'];

let stores: Stores;
let api: Served;
let commands: Awaited<ReturnType<typeof serveCommands>>;
const plays: Play[] = [];

const play = async (viewer: { token: string; profileId: string }, titleId: string, region: string) => {
  const started = await commands.post('/playback', viewer.token, { profileId: viewer.profileId, titleId, region });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  // The viewer's player fetches from the first server it was given: an edge, or the origin (null).
  const servedBy = started.body.manifests[0].edgeId as string | null;
  plays.push({ sessionId: started.body.sessionId, titleId, region, servedBy });
  const stopped = await commands.post(`/playback/${started.body.sessionId}/stop`, viewer.token, {
    profileId: viewer.profileId,
    positionSeconds: 60,
  });
  expect(stopped.status).toBe(200);
  return plays.at(-1) as Play;
};

/** One node's report of one interval, written as nodes write it: once, whatever retries. */
const report = async (
  nodeId: string,
  data: Omit<ServingData, 'nodeId' | 'role' | 'intervalSeconds' | 'at' | 'overflow'>,
) => {
  const stream = streamName('serving', nodeId);
  const events = toEventsToAppend(stream, [
    {
      type: 'ServingReported',
      data: {
        nodeId,
        role: nodeId === 'origin' ? 'origin' : 'edge',
        intervalSeconds: 10,
        overflow: { rows: 0, sessions: 0, requests: 0, bytes: 0 },
        at: data.intervalStart,
        ...data,
      },
    },
  ]);
  const id = deterministicId(['serving', nodeId, data.intervalStart]);
  await stores.eventStore.appendToStream(
    stream,
    events.map((event) => ({ ...event, id })),
    { expectedRevision: 'any' },
  );
};

const hit = 1000;
const pulled = 200;
const leftover = 500;
const fill = 5000;

beforeAll(async () => {
  stores = await openStores();
  const at = new Date(Date.now() - 3600_000).toISOString();
  for (const [name, titleId] of Object.entries(title)) {
    await createTitle(stores.eventStore, { titleId, name: `Title ${name.toUpperCase()}`, genres: ['drama'] }, at);
    await encodeAndPublish(stores.eventStore, titleId, at);
  }
  await registerEdge(stores.eventStore, { edgeId: edge.euA, region: 'eu', holds: [title.a, title.b] }, at);
  await registerEdge(stores.eventStore, { edgeId: edge.euB, region: 'eu', holds: [title.a] }, at);
  await registerEdge(stores.eventStore, { edgeId: edge.usA, region: 'us', holds: [title.a, title.b] }, at);
  await project(stores);
  for (const edgeId of Object.values(edge)) await edgeHealth.heartbeat(edgeId, { load: 0.1 }, 60);
  commands = await serveCommands(stores, edgeHealth);
  api = await serve(stores);

  const viewer = await commands.signUp();
  // All three edges alive.
  await play(viewer, title.a, 'eu');
  await play(viewer, title.a, 'eu');
  const onDyingEdge = await play(viewer, title.b, 'eu');
  expect(onDyingEdge.servedBy).toBe(edge.euA);
  await play(viewer, title.c, 'eu');
  await play(viewer, title.a, 'us');
  // eu-a is killed: its heartbeat lapses.
  await edgeHealth.heartbeat(edge.euA, { load: 0.1 }, 0.05);
  await new Promise((resolve) => setTimeout(resolve, 150));
  const steeredAway = [await play(viewer, title.b, 'eu'), await play(viewer, title.b, 'eu')];
  expect(steeredAway.map((p) => p.servedBy)).toEqual([edge.usA, edge.usA]);
  await play(viewer, title.a, 'eu');
  await play(viewer, title.c, 'eu');
  await play(viewer, title.c, 'us');

  // What each node served: every session `hit` bytes from where it started; the first eu play of A
  // had 200 bytes pulled through; the session on the killed edge fetched its rest from the origin.
  const interval = new Date(Date.now() - 60_000);
  interval.setUTCSeconds(0, 0);
  const intervalStart = interval.toISOString();
  const byNode = new Map<string, Play[]>();
  for (const p of plays) byNode.set(p.servedBy ?? 'origin', [...(byNode.get(p.servedBy ?? 'origin') ?? []), p]);
  const pulledThrough = plays[0] as Play;
  const session = (p: { sessionId: string; titleId: string; region: string }, hitBytes: number, missBytes = 0) => ({
    sessionId: p.sessionId,
    titleId: p.titleId,
    encodingId: `${p.titleId}-enc`,
    region: p.region,
    requests: 10,
    hitBytes,
    missBytes,
  });
  const row = (titleId: string, client: 'viewer' | 'edge', bytes: number): ServingRow => ({
    titleId,
    encodingId: `${titleId}-enc`,
    rung: 720,
    status: 'hit',
    client,
    requests: 10,
    bytes,
  });
  for (const [nodeId, served] of byNode) {
    const sessions = served.map((p) => session(p, hit, p === pulledThrough ? pulled : 0));
    if (nodeId === 'origin') sessions.push(session(onDyingEdge, leftover));
    const rows = sessions.map((s) => row(s.titleId, 'viewer', s.hitBytes + s.missBytes));
    // The origin also sent eu-a the bytes it pulled through, and filled an edge.
    if (nodeId === 'origin') rows.push(row(title.a, 'edge', pulled), row(title.b, 'edge', fill));
    const region = nodeId === 'origin' ? null : nodeId.slice(0, 2);
    await report(nodeId, { region, intervalStart, rows, sessions });
    // A node that crashed mid-report reports the interval again: stored once.
    await report(nodeId, { region, intervalStart, rows, sessions });
  }
  await project(stores);
}, 60_000);

afterAll(async () => {
  await commands?.close();
  await stopSample({ api, stores });
  await edgeHealth.close();
});

// Edge hits: every play but C's three, which the origin served; origin: those, and the killed edge's rest.
const edgeBytes = 7 * hit;
const originBytes = 3 * hit + leftover;
const expectedTotals = {
  edgeBytes,
  originBytes,
  offloadRatio: edgeBytes / (edgeBytes + pulled + originBytes),
  plays: 10,
  // C had no holder anywhere (three plays); B in eu after eu-a died (two plays).
  missPlays: { content: 3, health: 2, steering: 0 },
  // The origin's bytes of C's plays and the bytes eu-a pulled through; the killed edge's session's rest.
  missBytes: { content: 3 * hit + pulled, health: leftover, steering: 0 },
  originEgressBytes: originBytes + pulled + fill,
};

describe('offload and misses by class, three edges, one killed', () => {
  it('counts plays steered away from the killed edge as health misses and the unfilled title’s as content misses', async () => {
    const answer = await api.get('/analytics/offload', analyst);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.totals).toEqual(expectedTotals);
    expect(answer.body.bucket).toBe('day');
    const regions = Object.fromEntries(
      answer.body.byRegion.map((r: { region: string; plays: number; missPlays: unknown }) => [
        r.region,
        [r.plays, r.missPlays],
      ]),
    );
    expect(regions).toEqual({
      eu: [8, { content: 2, health: 2, steering: 0 }],
      us: [2, { content: 1, health: 0, steering: 0 }],
    });
    expect(answer.body.series.reduce((sum: number, point: { plays: number }) => sum + point.plays, 0)).toBe(10);
  });
  it('narrows to one region and one title', async () => {
    const us = await api.get('/analytics/offload?region=us', analyst);
    expect(us.body.totals).toMatchObject({ plays: 2, edgeBytes: hit, originBytes: hit, offloadRatio: 0.5 });
    const b = await api.get(`/analytics/offload?titleId=${title.b}`, analyst);
    expect(b.body.totals).toMatchObject({ plays: 3, missPlays: { content: 0, health: 2, steering: 0 } });
  });
  it('lists the titles that cost the origin most, with their names', async () => {
    const answer = await api.get('/analytics/origin-titles?limit=2', analyst);
    expect(answer.status, answer.text).toBe(200);
    expect(
      answer.body.items.map((t: { titleId: string; name: string; originBytes: number }) => [
        t.titleId,
        t.name,
        t.originBytes,
      ]),
    ).toEqual([
      [title.c, 'Title C', 3 * hit],
      [title.b, 'Title B', leftover],
    ]);
  });
  it('ranks predicted popularity per region: the plays there and the new-release prior', async () => {
    const answer = await api.get('/analytics/popularity?region=us', analyst);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.region).toBe('us');
    // Each title's prior (3) decays a little over the hour since its publish; us played A once and C once, B never.
    expect(answer.body.items.map((t: { titleId: string }) => t.titleId).at(-1)).toBe(title.b);
    expect(answer.body.items.map((t: { name: string }) => t.name).sort()).toEqual(['Title A', 'Title B', 'Title C']);
  });
  it('answers the same after the views are dropped and rebuilt from the log', async () => {
    const before = await api.get('/analytics/offload', analyst);
    const titles = await api.get('/analytics/origin-titles', analyst);
    await rebuildViews(stores);
    const after = await api.get('/analytics/offload', analyst);
    expect(after.body.totals).toEqual(expectedTotals);
    expect({ ...after.body, from: null, until: null }).toEqual({ ...before.body, from: null, until: null });
    expect((await api.get('/analytics/origin-titles', analyst)).body).toEqual(titles.body);
  });
});

describe('analytics parameters', () => {
  it('refuses a malformed time, a window that ends before it starts, or is over a year, with 400', async () => {
    const bad = await api.get('/analytics/offload?from=yesterday', analyst);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^from: must be an ISO 8601 time/);
    const backwards = await api.get('/analytics/offload?from=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z', analyst);
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toBe('from: must be before until');
    const long = await api.get('/analytics/offload?from=2024-01-01T00:00:00Z&until=2026-01-01T00:00:00Z', analyst);
    expect(long.status).toBe(400);
  });
  it('answers an unknown region with nothing in it, and a window by hours when it is two days or less', async () => {
    const answer = await api.get(
      '/analytics/offload?region=mars&from=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z',
      analyst,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ bucket: 'hour', byRegion: [], totals: { plays: 0, offloadRatio: null } });
    expect(answer.body.series).toHaveLength(24);
  });
  it('is for analysts: a viewer is refused', async () => {
    const viewer = await api.get('/analytics/offload', { token: await viewerToken('a-nobody') });
    expect(viewer.status).toBe(403);
    expect((await api.get('/analytics/popularity')).status).toBe(401);
  });
});
