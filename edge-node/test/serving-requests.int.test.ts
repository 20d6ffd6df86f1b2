import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentPath, createLogger } from '@marquee/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalogOf, emptyCatalog } from '../src/catalog-follower';
import { openEdgeDisk, openOriginDisk } from '../src/content-disk';
import { createEdgeServer } from '../src/edge-app';
import { createEdgeMetrics } from '../src/edge-metrics';
import type { ServedRequest } from '../src/serving-tally';
import { contentTokenSecret, rawGet, viewerToken, writePackage } from './edge-fixtures';
import { ladderPackage } from './manifest-fixtures';

/*
 * What the content server tells serving telemetry about each request, over real HTTP: an origin
 * and an edge in this process, the edge pulling through what it lacks. The bytes are the ones
 * the client received, a range's, a cut-off download's; the client is a viewer or another node.
 */

const titleId = 't-tel';
const segment = 'segment-v720-00001.m4s';
const segmentBytes = 300_000;
const largeSegment = 'segment-v1080-00009.m4s';
const largeBytes = 64 * 1024 * 1024;
let dir: string;
let origin: Server;
let edge: Server;
const servedByOrigin: ServedRequest[] = [];
const servedByEdge: ServedRequest[] = [];

const listen = async (server: Server) => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
};
const telemetryInto = (list: ServedRequest[]) => ({
  record: (served: ServedRequest) => void list.push(served),
  status: () => ({ intervalSeconds: 10, lastReportedAt: null, pendingIntervals: 0 }),
});
let originPort: number;
let edgePort: number;
/** Each server records a request when its response is done, which may be a moment after the client's. */
const settled = async (list: ServedRequest[], count: number) => {
  const deadline = Date.now() + 5000;
  while (list.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return list;
};
const viewer = (file: string, grant = {}) => contentPath(viewerToken(titleId, 'e1', grant), titleId, 'e1', file);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-served-'));
  await writePackage(join(dir, 'origin'), titleId, 'e1', ladderPackage(segmentBytes));
  // Larger than what the sockets between client and server can buffer.
  await writeFile(join(dir, 'origin', titleId, 'e1', largeSegment), Buffer.alloc(largeBytes));
  const common = {
    contentTokenSecret,
    metrics: createEdgeMetrics(() => 0),
    logger: createLogger('test', 'silent'),
    catalog: catalogOf(emptyCatalog()),
    originUrl: 'http://origin.example:8100',
    steeringUrl: 'http://steering.example/steering',
  };
  origin = createEdgeServer({
    ...common,
    identity: { role: 'origin' },
    disk: await openOriginDisk(join(dir, 'origin')),
    telemetry: telemetryInto(servedByOrigin),
  });
  originPort = await listen(origin);
  edge = createEdgeServer({
    ...common,
    identity: {
      role: 'edge',
      edgeId: 'edge-eu',
      region: 'eu',
      capacityBytes: 1e9,
      upstream: `http://127.0.0.1:${originPort}`,
      url: 'http://eu.example:8101',
    },
    disk: await openEdgeDisk(join(dir, 'edge')),
    telemetry: telemetryInto(servedByEdge),
    fillAgent: {
      requestFill: () => {},
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
    },
  });
  edgePort = await listen(edge);
});
beforeEach(() => {
  servedByOrigin.length = 0;
  servedByEdge.length = 0;
});
afterAll(async () => {
  for (const server of [origin, edge]) {
    server.closeAllConnections();
    server.close();
  }
  await rm(dir, { recursive: true, force: true });
});

describe('each content request, as serving telemetry sees it', () => {
  it('a hit, a range, a HEAD and a session manifest on the origin, with the bytes the viewer received', async () => {
    const whole = await rawGet(originPort, viewer(segment, { region: 'eu' }));
    const range = await rawGet(originPort, viewer(segment), { Range: 'bytes=100-1099' });
    await rawGet(originPort, viewer(segment), {}, 'HEAD');
    const manifest = await rawGet(originPort, viewer('manifest.mpd'));
    expect([whole.body.length, range.body.length]).toEqual([segmentBytes, 1000]);
    const base = { titleId, encodingId: 'e1', client: 'viewer', sessionId: 'session-1', status: 'hit' };
    expect(await settled(servedByOrigin, 4)).toEqual([
      { ...base, file: segment, region: 'eu', bytes: segmentBytes },
      { ...base, file: segment, region: null, bytes: 1000 },
      { ...base, file: segment, region: null, bytes: 0 },
      { ...base, file: 'manifest.mpd', region: null, bytes: manifest.body.length },
    ]);
  });

  it('a miss on the edge is the viewer’s pulled-through bytes there, and another node’s hit at the origin', async () => {
    const answer = await rawGet(edgePort, viewer(segment, { region: 'eu' }));
    expect([answer.headers['x-cache'], answer.body.length]).toEqual(['miss', segmentBytes]);
    expect(await settled(servedByEdge, 1)).toEqual([
      {
        titleId,
        encodingId: 'e1',
        file: segment,
        status: 'miss',
        client: 'viewer',
        sessionId: 'session-1',
        region: 'eu',
        bytes: segmentBytes,
      },
    ]);
    expect(await settled(servedByOrigin, 1)).toEqual([
      {
        titleId,
        encodingId: 'e1',
        file: segment,
        status: 'hit',
        client: 'edge',
        sessionId: null,
        region: null,
        bytes: segmentBytes,
      },
    ]);
  });

  it('a refusal keeps the session its token names, and no bytes; a bad token is a viewer’s with none', async () => {
    await rawGet(originPort, viewer('segment-v1080-00001.m4s', { maxHeight: 720, region: 'eu' }));
    await rawGet(originPort, contentPath(`${'A'.repeat(20)}.${'B'.repeat(43)}`, titleId, 'e1', segment));
    expect(await settled(servedByOrigin, 2)).toMatchObject([
      { status: 'refused', client: 'viewer', sessionId: 'session-1', region: 'eu', bytes: 0 },
      { status: 'refused', client: 'viewer', sessionId: null, region: null, bytes: 0 },
    ]);
  });

  it('a viewer who leaves mid-segment counts only the bytes that were sent', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: originPort, path: viewer(largeSegment) }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.once('error', reject);
      req.end();
    });
    expect(await settled(servedByOrigin, 1)).toHaveLength(1);
    expect(servedByOrigin[0]?.status).toBe('hit');
    expect(servedByOrigin[0]?.bytes).toBeLessThan(largeBytes / 2);
  });

  it('a pull-through the origin has no file for, or refuses, is not a miss', async () => {
    await rawGet(edgePort, viewer('segment-v720-00077.m4s'));
    await rawGet(edgePort, contentPath(viewerToken('t-gone', 'e1'), 't-gone', 'e1', segment));
    expect((await settled(servedByEdge, 2)).map((served) => [served.titleId, served.status, served.bytes])).toEqual([
      [titleId, 'not_found', 0],
      ['t-gone', 'not_found', 0],
    ]);
  });
});
