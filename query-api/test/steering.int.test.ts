import { randomUUID } from 'node:crypto';
import { type ContentGrant, createLogger, openRedisEdgeHealth, signContentToken } from '@marquee/platform';
import { startOwnRedis } from '@marquee/platform/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  contentTokenSecret,
  openStores,
  rebuildViews,
  redisUrl,
  registerEdge,
  type Served,
  type Stores,
  serve,
  stopSample,
} from './sample-platform';

/*
 * Content steering over real views and the machine's Redis: edges registered and filled through
 * the deciders, their health written as edges write it, a session's token signed as the command
 * API signs it.
 */

const run = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${run}`;
const titleId = 't-steer';
const encodingId = `${titleId}-enc`;
const at = '2026-11-24T10:00:00.000Z';
const edgeHealth = openRedisEdgeHealth(redisUrl);

let stores: Stores;
let api: Served;
beforeAll(async () => {
  stores = await openStores();
  const edges = [
    { edgeId: id('eu-busy'), region: 'eu', holds: [titleId] },
    { edgeId: id('eu-idle'), region: 'eu', holds: [titleId] },
    { edgeId: id('us-idle'), region: 'us', holds: [titleId] },
    { edgeId: id('eu-dead'), region: 'eu', holds: [titleId] },
    { edgeId: id('eu-empty'), region: 'eu', holds: [] },
    { edgeId: id('eu-other-session'), region: 'eu', holds: [titleId] },
  ];
  for (const edge of edges) await registerEdge(stores.eventStore, edge, at);
  await rebuildViews(stores);
  await edgeHealth.heartbeat(id('eu-busy'), { load: 0.7 }, 60);
  await edgeHealth.heartbeat(id('eu-idle'), { load: 0.2 }, 60);
  await edgeHealth.heartbeat(id('us-idle'), { load: 0 }, 60);
  await edgeHealth.heartbeat(id('eu-empty'), { load: 0 }, 60);
  await edgeHealth.heartbeat(id('eu-other-session'), { load: 0 }, 60);
  // Its last heartbeat expires at once: the edge died.
  await edgeHealth.heartbeat(id('eu-dead'), { load: 0 }, 0.05);
  await new Promise((resolve) => setTimeout(resolve, 100));
  api = await serve(stores);
});
afterAll(async () => {
  await stopSample({ api, stores });
  await edgeHealth.close();
});

const grant = (overrides: Partial<ContentGrant> = {}): ContentGrant => ({
  sessionId: 's1',
  maxHeight: 720,
  region: 'eu',
  pathways: [id('us-idle'), id('eu-busy'), id('eu-dead'), id('eu-empty'), id('eu-idle')],
  ...overrides,
});
const tokenFor = (options: { grant?: ContentGrant; title?: string; now?: Date } = {}) =>
  signContentToken(contentTokenSecret, { titleId: options.title ?? titleId, encodingId }, options.grant ?? grant(), {
    ttlSeconds: 60,
    now: options.now ?? new Date(),
  }).token;
const steeringPath = (token: string, title = titleId, encoding = encodingId) =>
  `/steering/${token}/${title}/${encoding}`;

describe('content steering', () => {
  it("ranks the session's live holders, in its region first then the least loaded, and the origin last", async () => {
    const answer = await api.get(steeringPath(tokenFor()));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      VERSION: 1,
      TTL: 5,
      'RELOAD-URI': `./${encodingId}`,
      // eu-dead has no live heartbeat, eu-empty does not hold the title, eu-other-session is not this session's.
      'PATHWAY-PRIORITY': [id('eu-idle'), id('eu-busy'), id('us-idle'), 'origin'],
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
  it('ranks by the region in the token: a viewer in the US gets the US edge first', async () => {
    const answer = await api.get(steeringPath(tokenFor({ grant: grant({ region: 'us' }) })));
    expect(answer.body['PATHWAY-PRIORITY']).toEqual([id('us-idle'), id('eu-idle'), id('eu-busy'), 'origin']);
  });
  it('moves a session off an edge as soon as its heartbeat lapses', async () => {
    const token = tokenFor();
    expect((await api.get(steeringPath(token))).body['PATHWAY-PRIORITY'][0]).toBe(id('eu-idle'));
    await edgeHealth.heartbeat(id('eu-idle'), { load: 0.2 }, 0.05);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await api.get(steeringPath(token))).body['PATHWAY-PRIORITY']).toEqual([
      id('eu-busy'),
      id('us-idle'),
      'origin',
    ]);
    await edgeHealth.heartbeat(id('eu-idle'), { load: 0.2 }, 60);
  });
  it('keeps a player first on the edge it says it plays from, though a little busier than another', async () => {
    const path = steeringPath(tokenFor());
    const stayed = [id('eu-busy'), id('eu-idle'), id('us-idle'), 'origin'];
    // dash.js: quoted, every pathway it fetched from since it last asked; the last is the one it is on.
    const dashPathways = encodeURIComponent(`"${id('eu-idle')},${id('eu-busy')}"`);
    expect((await api.get(`${path}?_DASH_pathway=${dashPathways}`)).body['PATHWAY-PRIORITY']).toEqual(stayed);
    expect((await api.get(`${path}?_HLS_pathway=${id('eu-busy')}`)).body['PATHWAY-PRIORITY']).toEqual(stayed);
    // The origin, or an edge that is not the session's, is nothing to stay on.
    const fresh = [id('eu-idle'), id('eu-busy'), id('us-idle'), 'origin'];
    expect((await api.get(`${path}?_HLS_pathway=origin`)).body['PATHWAY-PRIORITY']).toEqual(fresh);
    expect((await api.get(`${path}?_HLS_pathway=${id('eu-other-session')}`)).body['PATHWAY-PRIORITY']).toEqual(fresh);
  });
  it('steers a session without edges to the origin', async () => {
    const answer = await api.get(steeringPath(tokenFor({ grant: grant({ pathways: [] }) })));
    expect(answer.body['PATHWAY-PRIORITY']).toEqual(['origin']);
  });
  it('takes the parameters dash.js and hls.js add, and its RELOAD-URI is this URL without them', async () => {
    const path = steeringPath(tokenFor());
    const dash = await api.get(`${path}?_DASH_pathway=${encodeURIComponent('"a,b"')}&_DASH_throughput=1200,`);
    expect(dash.status).toBe(200);
    const hls = await api.get(`${path}?_HLS_pathway=origin&_HLS_throughput=5000000&CMCD=sid%3D%22s1%22`);
    expect(hls.status).toBe(200);
    // Players resolve it against the URL they asked and add their parameters again: never twice.
    expect(new URL(hls.body['RELOAD-URI'], `${api.url}${path}?_HLS_pathway=origin`).href).toBe(`${api.url}${path}`);
    const unknown = await api.get(`${path}?pathway=a`);
    expect(unknown.status).toBe(400);
  });
  it('steers an expired token: ranking serves no content, and its player is renewing it', async () => {
    const expired = tokenFor({ now: new Date(Date.now() - 3600_000) });
    expect((await api.get(steeringPath(expired))).status).toBe(200);
  });
  it('refuses a malformed, tampered or other title’s token with 403 and the reason', async () => {
    const malformed = await api.get(steeringPath('not-a-token'));
    expect(malformed.status).toBe(403);
    expect(malformed.body).toMatchObject({
      error: 'Forbidden',
      message: expect.stringMatching(/no valid content token/),
    });
    const token = tokenFor();
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await api.get(steeringPath(tampered))).status).toBe(403);
    const otherTitle = await api.get(steeringPath(tokenFor({ title: 't-other' })));
    expect(otherTitle.status).toBe(403);
    expect(otherTitle.body.message).toMatch(/not valid for this title/);
  });
  it('answers 404 for a path that is not a steering one, and 400 for an id no title has', async () => {
    expect((await api.get(`/steering/${tokenFor()}/${titleId}`)).status).toBe(404);
    expect((await api.get(`/steering/${tokenFor()}/${titleId}/${encodingId}/more`)).status).toBe(404);
    expect((await api.get(steeringPath(tokenFor(), 'x'.repeat(129)))).status).toBe(400);
  });
  it('is documented as public: the token in the path is the credential', async () => {
    const document = (await api.get('/openapi.json')).body;
    expect(document.paths['/steering/{token}/{titleId}/{encodingId}'].get.security).toEqual([]);
  });
});

describe('content steering without Redis', () => {
  it("answers the token's pathways in their order, then the origin, rather than failing", async () => {
    const offline = await serve(stores, { steeringRedisUrl: 'redis://127.0.0.1:1' });
    try {
      const answer = await offline.get(steeringPath(tokenFor()));
      expect(answer.status).toBe(200);
      expect(answer.body['PATHWAY-PRIORITY']).toEqual([...grant().pathways, 'origin']);
    } finally {
      await offline.close();
    }
  });
});

describe('content steering when edge health (Redis) stops answering', () => {
  it('ranks the edges seen healthy moments ago, then the order the session started with; says so once and in /readyz', async () => {
    const redis = await startOwnRedis();
    const writer = openRedisEdgeHealth(redis.url);
    let now = new Date('2026-11-24T20:00:00.000Z');
    const logger = createLogger('query-api', 'silent');
    const warnings = vi.spyOn(logger, 'warn');
    const own = await serve(stores, { steeringRedisUrl: redis.url, now: () => now, logger });
    try {
      for (const [edge, load] of [
        ['eu-busy', 0.7],
        ['eu-idle', 0.2],
        ['us-idle', 0],
      ] as const)
        await writer.heartbeat(id(edge), { load }, 600);
      const token = tokenFor();
      const live = [id('eu-idle'), id('eu-busy'), id('us-idle'), 'origin'];
      expect((await own.get(steeringPath(token))).body['PATHWAY-PRIORITY']).toEqual(live);
      expect((await own.get('/readyz')).body.degraded).toBeUndefined();

      await writer.close();
      await redis.stop();
      now = new Date(now.getTime() + 10_000);
      // Not the token's order: eu-dead was seen dead, and stays out.
      expect((await own.get(steeringPath(token))).body['PATHWAY-PRIORITY']).toEqual(live);
      const ready = await own.get('/readyz');
      expect(ready.body.degraded.join('\n')).toContain('edge health (Redis)');

      now = new Date(now.getTime() + 60_000);
      expect((await own.get(steeringPath(token))).body['PATHWAY-PRIORITY']).toEqual([...grant().pathways, 'origin']);
      const edgeHealthWarnings = warnings.mock.calls.filter((call) => String(call.at(-1)).includes('edge health'));
      expect(edgeHealthWarnings).toHaveLength(1);
    } finally {
      await own.close();
      await redis.stop();
    }
  });
});
