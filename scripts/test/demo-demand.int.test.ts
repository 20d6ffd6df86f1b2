/*
 * The demo's first-start demand against stand-ins for the command API, an edge and the origin
 * (plain HTTP servers): it signs a viewer up, plays each planned play from the place steering
 * ranked first (the first rung's init and first segments of the HLS master), moves to the next
 * place when one fails, gives every stream slot back, keeps to its time budget, and runs once
 * per data folder.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { playDemand, playDemoDemandOnce, signUpDemandViewer } from '../demo-demand';
import type { DemandPlay } from '../demo-demand-plan';

const master = `#EXTM3U
#EXT-X-VERSION:7
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_A1",NAME="audio_0",DEFAULT=YES,URI="media-a0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=401130,RESOLUTION=426x240,CODECS="avc1.42c00d,mp4a.40.2",AUDIO="group_A1"
media-v240.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=1601130,RESOLUTION=1280x720,CODECS="avc1.42c01f,mp4a.40.2",AUDIO="group_A1"
media-v720.m3u8
`;
const media = (rung: string) =>
  [
    '#EXTM3U',
    '#EXT-X-TARGETDURATION:2',
    `#EXT-X-MAP:URI="init-${rung}.m4s"`,
    ...[1, 2, 3, 4, 5].flatMap((n) => ['#EXTINF:2.000000,', `segment-${rung}-0000${n}.m4s`]),
    '#EXT-X-ENDLIST',
  ].join('\n');
const segmentBytes = 10_000;

type ContentServer = { url: string; server: Server; requests: string[]; bytes: number; failing: Set<string> };

/** Serves any title's package under /c/<token>/<title>/<encoding>/, or 503 for a title it is told fails. */
const contentServer = async (): Promise<ContentServer> => {
  const state: ContentServer = { url: '', server: createServer(), requests: [], bytes: 0, failing: new Set() };
  state.server.on('request', (req, res) => {
    const [, , , titleId, , file = ''] = (req.url ?? '').split('/');
    state.requests.push(file);
    if (state.failing.has(titleId ?? '')) return void res.writeHead(503).end();
    const body =
      file === 'master.m3u8'
        ? master
        : file.startsWith('media-')
          ? media(file.slice('media-'.length, -'.m3u8'.length))
          : Buffer.alloc(file.startsWith('init-') ? 800 : segmentBytes);
    state.bytes += Buffer.byteLength(body);
    res.writeHead(200).end(body);
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
};

const body = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}') as Record<string, unknown>;
};

let edge: ContentServer;
let origin: ContentServer;
let commandApi: Server;
let commandApiUrl: string;
const calls = {
  signUps: 0,
  refusedSignUps: 0,
  started: [] as { titleId: string; region: string; sessionId: string }[],
  stopped: [] as { sessionId: string; positionSeconds: number }[],
  open: 0,
  mostOpen: 0,
};

beforeAll(async () => {
  edge = await contentServer();
  origin = await contentServer();
  commandApi = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    const sent = await body(req);
    const url = req.url ?? '';
    if (url === '/accounts') {
      // The first sign-up meets the per-address limit, as a busy demo start may.
      if (calls.refusedSignUps === 0) {
        calls.refusedSignUps++;
        return answer(429, { error: 'TooManyRequests' }, { 'retry-after': '0' });
      }
      calls.signUps++;
      return answer(201, { accountId: 'account-1', token: 'bearer-1', plan: sent.plan });
    }
    if (url === '/accounts/account-1/profiles') return answer(201, { profileId: 'profile-1' });
    if (req.headers.authorization !== 'Bearer bearer-1' || sent.profileId !== 'profile-1')
      return answer(401, { error: 'Unauthorized' });
    if (url === '/playback') {
      const sessionId = `session-${calls.started.length + 1}`;
      calls.started.push({ titleId: String(sent.titleId), region: String(sent.region), sessionId });
      calls.open++;
      calls.mostOpen = Math.max(calls.mostOpen, calls.open);
      const place = (server: ContentServer) => `${server.url}/c/token-${sessionId}/${sent.titleId}/encoding-1`;
      return answer(201, {
        sessionId,
        manifests: [
          { edgeId: 'edge-eu', region: 'eu', dash: `${place(edge)}/manifest.mpd`, hls: `${place(edge)}/master.m3u8` },
          { edgeId: null, region: null, dash: `${place(origin)}/manifest.mpd`, hls: `${place(origin)}/master.m3u8` },
        ],
      });
    }
    const stop = /^\/playback\/([^/]+)\/stop$/.exec(url);
    if (stop) {
      calls.open--;
      calls.stopped.push({ sessionId: stop[1] as string, positionSeconds: Number(sent.positionSeconds) });
      return answer(200, {});
    }
    answer(404, { error: 'NotFound' });
  });
  await new Promise<void>((resolve) => commandApi.listen(0, '127.0.0.1', resolve));
  commandApiUrl = `http://127.0.0.1:${(commandApi.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const server of [edge?.server, origin?.server, commandApi]) server?.close();
});

beforeEach(() => {
  for (const server of [edge, origin]) {
    server.requests.length = 0;
    server.bytes = 0;
    server.failing.clear();
  }
  calls.started.length = 0;
  calls.stopped.length = 0;
  calls.mostOpen = 0;
  calls.open = 0;
});

const plays = (count: number, titleId = 'title-1', region = 'eu'): DemandPlay[] =>
  Array.from({ length: count }, () => ({ titleId, name: titleId, region }));

describe("the demo's first-start demand", () => {
  it("plays the first rung's init and first segments from the place steering ranked first, and stops each session", async () => {
    const viewer = await signUpDemandViewer(commandApiUrl);
    const plan = [...plays(4, 'title-1', 'eu'), ...plays(2, 'title-2', 'ap')];
    const report = await playDemand({ viewer, plan, segmentsPerPlay: 3, budgetMs: 60_000, now: Date.now });
    expect(report).toMatchObject({ plays: 6, failedPlays: 0, skippedPlays: 0, movedPlays: 0 });
    expect(calls.started.map(({ titleId, region }) => `${titleId}@${region}`).toSorted()).toEqual(
      plan.map(({ titleId, region }) => `${titleId}@${region}`).toSorted(),
    );
    // Master, the first rung's playlist, its init and three segments, per play; nothing from the origin.
    expect(edge.requests.filter((file) => file === 'master.m3u8')).toHaveLength(6);
    expect(new Set(edge.requests.filter((file) => file.endsWith('.m4s')))).toEqual(
      new Set(['init-v240.m4s', 'segment-v240-00001.m4s', 'segment-v240-00002.m4s', 'segment-v240-00003.m4s']),
    );
    expect(edge.requests.filter((file) => file.startsWith('segment-'))).toHaveLength(18);
    expect(origin.requests).toEqual([]);
    expect(report.bytesByPlace).toEqual({ 'edge-eu': edge.bytes });
    expect(edge.bytes).toBeGreaterThan(6 * 3 * segmentBytes);
    // Every slot given back, at the position the segments reached; never more open than a premium plan allows.
    expect(calls.stopped.map((stop) => stop.sessionId).toSorted()).toEqual(
      calls.started.map((start) => start.sessionId).toSorted(),
    );
    expect(new Set(calls.stopped.map((stop) => stop.positionSeconds))).toEqual(new Set([6]));
    expect(calls.mostOpen).toBeLessThanOrEqual(3);
  });

  it('moves to the next place when the first fails, as a player does', async () => {
    edge.failing.add('title-2');
    const viewer = await signUpDemandViewer(commandApiUrl);
    const report = await playDemand({
      viewer,
      plan: [...plays(2, 'title-1'), ...plays(3, 'title-2')],
      budgetMs: 60_000,
      now: Date.now,
    });
    expect(report).toMatchObject({ plays: 5, failedPlays: 0, movedPlays: 3 });
    expect(origin.requests.filter((file) => file.startsWith('segment-'))).toHaveLength(9);
    expect(report.bytesByPlace.origin).toBe(origin.bytes);
    expect(calls.stopped).toHaveLength(5);
  });

  it('starts no play after its time budget', async () => {
    const viewer = await signUpDemandViewer(commandApiUrl);
    // Each look at the clock moves it on 2.5 s: a few plays fit in the 12 s budget, the rest are left out.
    let clock = 0;
    const timed = await playDemand({
      viewer,
      plan: plays(10),
      concurrency: 1,
      budgetMs: 12_000,
      now: () => {
        clock += 2_500;
        return clock;
      },
    });
    expect(timed.plays).toBeLessThan(10);
    expect(timed.plays).toBeGreaterThan(0);
    expect(timed.plays + timed.skippedPlays).toBe(10);
  });

  it('runs once per data folder, and says what it played', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'marquee-demand-'));
    try {
      await mkdir(join(dataDir, 'demo'));
      const lines: string[] = [];
      const titles = [
        { titleId: 'title-1', name: 'Test Pattern' },
        { titleId: 'title-2', name: 'Colour Bars' },
      ];
      const first = await playDemoDemandOnce({ dataDir, commandApi: commandApiUrl, titles, log: (l) => lines.push(l) });
      expect(first?.plays).toBe(36);
      expect(calls.started).toHaveLength(36);
      expect(calls.started.filter((start) => start.region === 'ap')).toHaveLength(7);
      expect(lines.join('\n')).toMatch(/demand played: 36 plays in [\d.]+ s \(edge-eu [\d.]+ MiB\)/);
      const marker = JSON.parse(await readFile(join(dataDir, 'demo', 'demand.json'), 'utf8'));
      expect(marker.plays).toBe(36);
      const again = await playDemoDemandOnce({ dataDir, commandApi: commandApiUrl, titles, log: (l) => lines.push(l) });
      expect(again).toBeNull();
      expect(calls.started).toHaveLength(36);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
