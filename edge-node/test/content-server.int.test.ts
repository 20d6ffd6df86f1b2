import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ContentGrant,
  contentPath,
  contentTokenRefusals,
  createLogger,
  signContentToken,
} from '@marquee/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogOf, emptyCatalog } from '../src/catalog-follower';
import { readCmcd } from '../src/cmcd';
import { openEdgeDisk, openOriginDisk } from '../src/content-disk';
import { createEdgeServer } from '../src/edge-app';
import { createEdgeMetrics } from '../src/edge-metrics';
import type { FillAgent } from '../src/fill-agent';
import { heldLocation, type NginxFront, startNginxFront } from '../src/nginx-front';
import { createSessionFigures } from '../src/session-figures';
import { freePort } from '../src/testing';
import { contentTokenSecret, type RawAnswer, rawGet, viewerGrant, writePackage } from './edge-fixtures';
import { ladderPackage, storedMediaPlaylist, storedMpd } from './manifest-fixtures';

/*
 * Serving, over real HTTP with raw request paths (fetch would resolve `..` before sending):
 * tokens in the path, the plan's height cap, withdrawn titles, a session's manifests, path
 * escapes, Range, validators, CORS, content types and CMCD. First the origin (by this program or
 * with nginx in front), then an edge that pulls what it lacks through from that origin.
 */

const titleId = 't-serve';
const withdrawnTitle = 't-withdrawn';
const steeringUrl = 'http://steering.example:4002/steering';
const originState = emptyCatalog();
originState.withdrawn.add(withdrawnTitle);
originState.edges.set('edge-eu', 'http://eu.example:8101');

type Answer = RawAnswer;
const get = rawGet;
const json = (answer: Answer) => JSON.parse(answer.body.toString()) as { error: string; message: string };

const tokenFor = (grant: Partial<ContentGrant> = {}, options: { title?: string; ttl?: number; now?: Date } = {}) =>
  signContentToken(contentTokenSecret, { titleId: options.title ?? titleId, encodingId: 'e1' }, viewerGrant(grant), {
    ttlSeconds: options.ttl ?? 600,
    ...(options.now && { now: options.now }),
  }).token;
const fillToken = (title = titleId) =>
  signContentToken(
    contentTokenSecret,
    { titleId: title, encodingId: 'e1' },
    { sessionId: null, maxHeight: null, region: null, pathways: [] },
    { ttlSeconds: 600 },
  ).token;
const token = tokenFor();
const at = (file: string, value = token, title = titleId) => contentPath(value, title, 'e1', file);
const segment = 'segment-v720-00001.m4s';

let dir: string;
let originDir: string;
let server: Server;
let port: number;
let originUrl: string;
let front: NginxFront | undefined;
let segmentBytes: Buffer;

const start = async (mode: 'node' | 'nginx') => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-serve-'));
  originDir = join(dir, 'origin');
  await writePackage(originDir, titleId, 'e1', ladderPackage(300_000));
  await writePackage(originDir, 't-other', 'e1', ladderPackage(1_000));
  await writePackage(originDir, withdrawnTitle, 'e1', ladderPackage(1_000));
  segmentBytes = await readFile(join(originDir, titleId, 'e1', segment));
  // Secrets beside the content root, and links that lead out to them.
  await mkdir(join(dir, 'secret'), { recursive: true });
  await writeFile(join(dir, 'secret', 'passwd'), 'root:x:0:0');
  await symlink(join(dir, 'secret', 'passwd'), join(originDir, titleId, 'e1', 'link.m4s'));
  await symlink(join(dir, 'secret'), join(originDir, titleId, 'e1', 'linked-dir'));
  const metrics = createEdgeMetrics(() => 0);
  const sessions = createSessionFigures();
  server = createEdgeServer({
    sessions,
    identity: { role: 'origin' },
    ...(mode === 'nginx' && { accelRedirect: heldLocation }),
    disk: await openOriginDisk(originDir),
    contentTokenSecret,
    metrics,
    logger: createLogger('origin', 'silent'),
    catalog: catalogOf(originState),
    originUrl: 'http://origin.example:8100',
    steeringUrl,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  if (mode === 'nginx') {
    const programPort = port;
    port = await freePort();
    front = await startNginxFront({
      host: '127.0.0.1',
      port,
      node: `127.0.0.1:${programPort}`,
      contentDir: originDir,
      workDir: join(dir, 'nginx'),
      logger: createLogger('origin', 'silent'),
      contentTokenSecret,
      metrics,
      unavailableTitles: originState.withdrawn,
      // As main.ts wires it: the hits nginx sent itself reach the session figures from its log.
      onServed: (entry) => {
        const cmcd = entry.cmcd === null ? undefined : readCmcd(`CMCD=${encodeURIComponent(entry.cmcd)}`, {});
        const sessionId = entry.sessionId ?? cmcd?.sessionId;
        if (sessionId) sessions.request(sessionId, cmcd)(entry.bytes);
      },
    });
  }
  originUrl = `http://127.0.0.1:${port}`;
};
const stop = async () => {
  await front?.stop();
  front = undefined;
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
};

// The same behaviour whether this program sends the bytes or nginx does (EDGE_SERVE_WITH=nginx).
describe.each(['node', 'nginx'] as const)('the origin, served by %s', (mode) => {
  beforeAll(() => start(mode));
  afterAll(stop);
  const fetchPath = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    get(port, path, headers, method);

  describe('content tokens in the path', () => {
    it('serves a file with a valid token', async () => {
      const answer = await fetchPath(at(segment));
      expect(answer.status).toBe(200);
      expect(answer.body.equals(segmentBytes)).toBe(true);
    });
    it('refuses a malformed, expired, tampered, forged or other-title token with 403 and the reason', async () => {
      const expired = tokenFor({}, { ttl: 60, now: new Date(Date.now() - 3_600_000) });
      const [claims, mac] = token.split('.') as [string, string];
      const raised = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(claims, 'base64url').toString()), h: 2160 }),
      ).toString('base64url');
      const tampered = `${raised}.${mac}`;
      const forged = signContentToken(
        'another-secret-0123456789abcdefghijkl',
        { titleId, encodingId: 'e1' },
        viewerGrant(),
        {
          ttlSeconds: 600,
        },
      ).token;
      const otherTitle = tokenFor({}, { title: 't-other' });
      const cases: [string, string][] = [
        [at(segment, 'nonsense'), contentTokenRefusals.malformed],
        [at(segment, `${'a'.repeat(10)}.${'b'.repeat(10)}`), contentTokenRefusals.malformed],
        [at(segment, expired), contentTokenRefusals.expired],
        [at(segment, tampered), contentTokenRefusals.invalid],
        [at(segment, forged), contentTokenRefusals.invalid],
        [at(segment, otherTitle), contentTokenRefusals.invalid],
        [at('manifest.mpd', otherTitle), contentTokenRefusals.invalid],
      ];
      for (const [path, message] of cases) {
        const answer = await fetchPath(path);
        expect(answer.status, path).toBe(403);
        expect(json(answer), path).toEqual({ error: 'Forbidden', message });
        expect(answer.headers['access-control-allow-origin']).toBe('*');
      }
      // The other title's own files open with its token.
      expect((await fetchPath(at(segment, otherTitle, 't-other'))).status).toBe(200);
    });
    it('refuses every rung above the token’s height cap with 403 naming it, and serves the rest', async () => {
      const basic = tokenFor({ maxHeight: 720 });
      for (const file of ['segment-v1080-00001.m4s', 'init-v1080.m4s', 'media-v1080.m3u8']) {
        const answer = await fetchPath(at(file, basic));
        expect(answer.status, file).toBe(403);
        expect(json(answer).message, file).toMatch(/1080p rung is above this session's limit of 720p/);
      }
      for (const file of [segment, 'init-v720.m4s', 'segment-v240-00002.m4s', 'segment-a0-00001.m4s', 'poster.jpg'])
        expect((await fetchPath(at(file, basic))).status, file).toBe(200);
    });
    it('refuses a withdrawn title to every token, before anything is read', async () => {
      for (const value of [tokenFor({}, { title: withdrawnTitle }), fillToken(withdrawnTitle)]) {
        for (const file of ['manifest.mpd', segment]) {
          const answer = await fetchPath(at(file, value, withdrawnTitle));
          expect(answer.status, file).toBe(403);
          expect(json(answer)).toEqual({ error: 'TitleUnavailable', message: 'This title is no longer available.' });
        }
      }
    });
  });

  describe("a session's manifests", () => {
    const basic = tokenFor({ maxHeight: 720, pathways: ['edge-eu', 'edge-unknown'] });
    it('the DASH manifest lists nothing above the cap, every pathway as a BaseURL, and the steering server', async () => {
      const answer = await fetchPath(at('manifest.mpd', basic));
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/dash+xml');
      expect(answer.headers['cache-control']).toBe('private, no-store');
      const mpd = answer.body.toString();
      expect([...mpd.matchAll(/<Representation id="([^"]+)"/g)].map((m) => m[1])).toEqual(['v240', 'v720', 'a0']);
      expect(mpd).not.toContain('1080');
      expect([...mpd.matchAll(/<BaseURL serviceLocation="([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
        ['origin', `http://origin.example:8100${contentPath(basic, titleId, 'e1')}`],
        ['edge-eu', `http://eu.example:8101${contentPath(basic, titleId, 'e1')}`],
      ]);
      expect(mpd).toContain(
        `<ContentSteering defaultServiceLocation="origin" queryBeforeStart="false">${steeringUrl}/${basic}/${titleId}/e1</ContentSteering>`,
      );
    });
    it('the HLS master playlist lists nothing above the cap, per pathway, under EXT-X-CONTENT-STEERING', async () => {
      const answer = await fetchPath(at('master.m3u8', basic));
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/vnd.apple.mpegurl');
      expect(answer.headers['cache-control']).toBe('private, no-store');
      const playlist = answer.body.toString();
      expect(playlist).not.toContain('1080');
      expect(playlist).toContain(
        `#EXT-X-CONTENT-STEERING:SERVER-URI="${steeringUrl}/${basic}/${titleId}/e1",PATHWAY-ID="origin"`,
      );
      const uris = playlist.split('\n').filter((line) => line.startsWith('http'));
      expect(uris).toEqual([
        `http://origin.example:8100${contentPath(basic, titleId, 'e1', 'media-v240.m3u8')}`,
        `http://origin.example:8100${contentPath(basic, titleId, 'e1', 'media-v720.m3u8')}`,
        `http://eu.example:8101${contentPath(basic, titleId, 'e1', 'media-v240.m3u8')}`,
        `http://eu.example:8101${contentPath(basic, titleId, 'e1', 'media-v720.m3u8')}`,
      ]);
      expect(playlist.match(/PATHWAY-ID="edge-eu"/g)).toHaveLength(3);
    });
    it('a media playlist is served as stored: its relative URIs carry the token in its own path', async () => {
      const answer = await fetchPath(at('media-v720.m3u8', basic));
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toBe(storedMediaPlaylist('v720'));
    });
    it('a fill token (no session) gets the manifest as stored, byte for byte', async () => {
      const answer = await fetchPath(at('manifest.mpd', fillToken()));
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toBe(storedMpd);
    });
  });

  describe('paths that escape the content root', () => {
    it('answer 404 and read nothing, whatever the encoding or the token', async () => {
      const prefix = at('');
      const escapes = [
        `${prefix}../../../secret/passwd`,
        `${prefix}..%2f..%2f..%2fsecret%2fpasswd`,
        `${prefix}%2e%2e/%2e%2e/%2e%2e/secret/passwd`,
        `${prefix}%2E%2E/%2E%2E/%2E%2E/secret/passwd`,
        `${prefix}video/../../../../secret/passwd`,
        `${prefix}/${dir}/secret/passwd`,
        `${prefix}%2F${encodeURIComponent(dir)}%2Fsecret%2Fpasswd`,
        `${prefix}..%5c..%5csecret%5cpasswd`,
        `${prefix}video%00.m4s`,
        `${prefix}%zz`,
        `${prefix}.hidden`,
        `/c/../${titleId}/e1/manifest.mpd`,
        `/c/${token}/../e1/manifest.mpd`,
        `/c/${token}/${titleId}/..%2F/passwd`,
        `/content/${titleId}/e1/manifest.mpd?token=${token}`,
        `${prefix}link.m4s`,
        `${prefix}linked-dir/passwd`,
      ];
      for (const path of escapes) {
        const answer = await fetchPath(path);
        // nginx answers an encoded NUL or a broken escape itself, with 400, before anything is looked up.
        const refusals = mode === 'nginx' && /%00|%zz/.test(path) ? [400, 404] : [404];
        expect(refusals, path).toContain(answer.status);
        expect(answer.body.toString()).not.toContain('root:x');
      }
    });
    it('answer 404 for a file the package does not have, and a path trick 404 even with a bad token', async () => {
      expect((await fetchPath(at('segment-v720-00099.m4s'))).status).toBe(404);
      expect((await fetchPath(at('video'))).status).toBe(404);
      expect((await fetchPath(`/c/nonsense/${titleId}/e1/%2e%2e/x`)).status).toBe(404);
    });
  });

  describe('HTTP semantics', () => {
    it('answers a Range with 206 and exactly those bytes, and an unsatisfiable one with 416', async () => {
      const part = await fetchPath(at(segment), { range: 'bytes=1000-1999' });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 1000-1999/${segmentBytes.length}`);
      expect(part.headers['content-length']).toBe('1000');
      expect(part.body.equals(segmentBytes.subarray(1000, 2000))).toBe(true);
      const tail = await fetchPath(at(segment), { range: 'bytes=-500' });
      expect(tail.body.equals(segmentBytes.subarray(segmentBytes.length - 500))).toBe(true);
      const beyond = await fetchPath(at(segment), { range: `bytes=${segmentBytes.length + 10}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe(`bytes */${segmentBytes.length}`);
    });
    it('sends validators and answers a conditional request with 304', async () => {
      const first = await fetchPath(at(segment));
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(new Date(first.headers['last-modified'] as string).getTime()).toBeGreaterThan(0);
      expect((await fetchPath(at(segment), { 'if-none-match': etag })).status).toBe(304);
      const since = first.headers['last-modified'] as string;
      expect((await fetchPath(at(segment), { 'if-modified-since': since })).status).toBe(304);
      // If-Range with a stale validator gets the whole file, not a range of something else.
      const stale = await fetchPath(at(segment), { range: 'bytes=0-9', 'if-range': '"old"' });
      expect(stale.status).toBe(200);
      expect(stale.body.length).toBe(segmentBytes.length);
    });
    it('marks files immutable, cross-origin readable, and typed for DASH and HLS', async () => {
      const types: [string, string][] = [
        [segment, 'video/iso.segment'],
        ['poster.jpg', 'image/jpeg'],
        ['index.json', 'application/json; charset=utf-8'],
        ['captions-en.vtt', 'text/vtt; charset=utf-8'],
        ['thumbnails-1.jpg', 'image/jpeg'],
        ...(mode === 'node'
          ? ([
              ['media-v720.m3u8', 'application/vnd.apple.mpegurl'],
              ['captions-en.m3u8', 'application/vnd.apple.mpegurl'],
              ['thumbnails.m3u8', 'application/vnd.apple.mpegurl'],
            ] as [string, string][])
          : []),
      ];
      for (const [file, type] of types) {
        const answer = await fetchPath(at(file));
        expect(answer.headers['content-type'], file).toBe(type);
        expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(answer.headers['access-control-allow-origin']).toBe('*');
        expect(answer.headers['access-control-expose-headers']).toMatch(/Content-Range/);
      }
      const preflight = await fetchPath(
        at(segment),
        { origin: 'http://player', 'access-control-request-headers': 'range,cmcd-request' },
        'OPTIONS',
      );
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Range.*CMCD-Request/);
    });
    it('answers HEAD with the headers only, and other methods with 405', async () => {
      const head = await fetchPath(at(segment), {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers['content-length']).toBe(String(segmentBytes.length));
      expect(head.body.length).toBe(0);
      expect((await fetchPath(at(segment), {}, 'DELETE')).status).toBe(405);
    });
    it('counts what it served on /metrics', async () => {
      // nginx reports the hits it sent itself through its access log, flushed every second.
      await front?.readServed();
      await expect
        .poll(async () => (await fetchPath('/metrics')).body.toString(), { timeout: 5_000 })
        .toMatch(/edge_bytes_served_total [1-9]\d{5,}/);
      const metrics = (await fetchPath('/metrics')).body.toString();
      expect(Number(/^edge_bytes_served_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(segmentBytes.length);
      expect(metrics).toMatch(/edge_content_requests_total\{result="refused"\} [1-9]/);
      expect(metrics).toMatch(/edge_content_requests_total\{result="hit"\} [1-9]/);
    });
  });

  describe('CMCD', () => {
    it("keeps each session's requests, bytes, bitrate and buffer on /status, by the token's session or else the CMCD sid", async () => {
      const cmcd = encodeURIComponent('bl=12000,br=1500,cid="t-serve",ot=v,sid="cmcd-session"');
      // A token without a session (a fill's) is named by the CMCD sid; a session's token by its own.
      const sessionless = fillToken();
      await fetchPath(`${at(segment, sessionless)}?CMCD=${cmcd}`);
      await fetchPath(at('segment-v720-00002.m4s', sessionless), {
        'cmcd-request': 'bl=9000',
        'cmcd-object': 'br=1600,ot=v',
        'cmcd-session': 'sid="cmcd-session"',
      });
      const quiet = tokenFor({ sessionId: 'token-session' });
      await fetchPath(at(segment, quiet));
      const sessionsNow = async () => {
        await front?.readServed();
        const status = JSON.parse((await fetchPath('/status')).body.toString());
        return status.sessions as { sessionId: string; requests: number }[];
      };
      await expect
        .poll(async () => (await sessionsNow()).find((s) => s.sessionId === 'token-session')?.requests, {
          timeout: 5_000,
        })
        .toBe(1);
      await expect
        .poll(async () => (await sessionsNow()).find((s) => s.sessionId === 'cmcd-session')?.requests, {
          timeout: 5_000,
        })
        .toBe(2);
      const sessions = await sessionsNow();
      expect(sessions.find((s) => s.sessionId === 'cmcd-session')).toMatchObject({
        contentId: 't-serve',
        requests: 2,
        lastBitrateKbps: 1600,
        lastBufferMs: 9000,
        lastObjectType: 'v',
      });
      expect(sessions.find((s) => s.sessionId === 'token-session')).toMatchObject({
        requests: 1,
        bytes: segmentBytes.length,
        lastBitrateKbps: null,
      });
    });
  });
});

describe('an edge, pulling what it lacks through from the origin', () => {
  let edge: Server;
  let edgePort: number;
  const fills: string[] = [];
  const edgeState = emptyCatalog();
  edgeState.edges.set('edge-us', 'http://us.example:8102');

  beforeAll(async () => {
    await start('node');
    await writePackage(originDir, 't-late', 'e1', ladderPackage(1_000));
    const fillAgent: FillAgent = {
      requestFill: (title, encoding) => void fills.push(`${title}/${encoding}`),
      status: () => ({
        policy: 'fill-all',
        fillOnDemand: true,
        windowOpen: true,
        fillWindow: null,
        rateCapMbps: null,
        checkpoint: null,
        filling: [],
        waiting: [],
        recentFailures: [],
        recentFills: [],
      }),
      close: async () => {},
    };
    edge = createEdgeServer({
      identity: {
        role: 'edge',
        edgeId: 'edge-eu',
        region: 'eu',
        capacityBytes: 1e9,
        upstream: originUrl,
        url: 'http://eu.example:8101',
      },
      disk: await openEdgeDisk(join(dir, 'edge')),
      contentTokenSecret,
      metrics: createEdgeMetrics(() => 0),
      logger: createLogger('edge', 'silent'),
      catalog: catalogOf(edgeState),
      originUrl: 'http://origin.example:8100',
      steeringUrl,
      fillAgent,
    });
    edge.listen(0, '127.0.0.1');
    await once(edge, 'listening');
    edgePort = (edge.address() as AddressInfo).port;
  });
  afterAll(async () => {
    edge.closeAllConnections();
    edge.close();
    await stop();
  });

  it('rewrites a manifest it fetched from the origin for the session, this edge its first pathway', async () => {
    const basic = tokenFor({ maxHeight: 720, pathways: ['edge-us', 'edge-eu'] });
    const answer = await get(edgePort, at('manifest.mpd', basic));
    expect(answer.status).toBe(200);
    expect(answer.headers['x-cache']).toBe('miss');
    const mpd = answer.body.toString();
    expect(mpd).not.toContain('1080');
    expect([...mpd.matchAll(/<BaseURL serviceLocation="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'edge-eu',
      'edge-us',
      'origin',
    ]);
    expect(mpd).toContain('<ContentSteering defaultServiceLocation="edge-eu"');
    const master = (await get(edgePort, at('master.m3u8', basic))).body.toString();
    expect(master).toContain('PATHWAY-ID="edge-eu"');
    expect(master).not.toContain('1080');
    expect(fills).toContain(`${titleId}/e1`);
  });
  it('streams a segment through, and refuses a rung above the cap without asking the origin or filling', async () => {
    fills.length = 0;
    const through = await get(edgePort, at(segment));
    expect([through.status, through.headers['x-cache']]).toEqual([200, 'miss']);
    expect(through.body.equals(segmentBytes)).toBe(true);
    expect(fills).toEqual([`${titleId}/e1`]);
    fills.length = 0;
    const above = await get(edgePort, at('segment-v1080-00001.m4s', tokenFor({ maxHeight: 720 })));
    expect(above.status).toBe(403);
    expect(json(above).message).toMatch(/1080p rung/);
    expect(fills).toEqual([]);
  });
  it('refuses a title it knows is withdrawn, and passes on the origin’s refusal of one it does not know yet', async () => {
    fills.length = 0;
    edgeState.withdrawn.add('t-late');
    const known = await get(edgePort, at(segment, tokenFor({}, { title: 't-late' }), 't-late'));
    expect([known.status, json(known).error]).toEqual([403, 'TitleUnavailable']);
    expect(fills).toEqual([]);
    edgeState.withdrawn.delete('t-late');
    // The origin learnt of it first: the pull-through comes back refused, manifest or segment.
    for (const file of ['manifest.mpd', segment]) {
      const passed = await get(edgePort, at(file, tokenFor({}, { title: withdrawnTitle }), withdrawnTitle));
      expect(passed.status, file).toBe(403);
      expect(json(passed), file).toEqual({ error: 'TitleUnavailable', message: 'This title is no longer available.' });
    }
  });
});
