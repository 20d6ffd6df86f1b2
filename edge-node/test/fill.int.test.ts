import { mkdtempSync } from 'node:fs';
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { edgeDecider, streamName } from '@marquee/domain';
import { type EventStore, handleCommand, openEventStore, openRedisEdgeHealth } from '@marquee/platform';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type EdgeProcess,
  edgeStatus,
  eventually,
  filled,
  freePort,
  packageLayout,
  publish,
  segmentName,
  startEdgeProcess,
  unpublish,
  viewerUrl,
  writePackage,
} from './edge-fixtures';

/*
 * The fill agent as it runs: an origin process and edge processes on a shared SQLite log and
 * the machine's Redis, packages written into the origin's folder, publishes appended to the log.
 */

let dir: string;
let eventStoreUrl: string;
let store: EventStore;
let origin: EdgeProcess;
let originLog: string;
const started: EdgeProcess[] = [];
const run = Math.random().toString(36).slice(2, 8);
let edgeCount = 0;

let logs = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-edge-'));
  // The origin follows a log of its own: the edges' logs come and go with each test.
  originLog = `sqlite:${join(dir, 'origin-events.db')}`;
  origin = await startEdgeProcess({
    EDGE_ROLE: 'origin',
    EDGE_DIR: join(dir, 'origin'),
    DATA_DIR: dir,
    EVENT_STORE_URL: originLog,
  });
});
// Each test has its own log: an edge that joins fills everything published before it.
beforeEach(async () => {
  eventStoreUrl = `sqlite:${join(dir, `events-${++logs}.db`)}`;
  store = await openEventStore(eventStoreUrl);
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((edge) => edge.stop()));
  await store.close();
});
afterAll(async () => {
  await origin?.stop();
  await rm(dir, { recursive: true, force: true });
});

const startEdge = async (env: Record<string, string> = {}) => {
  const edgeId = env.EDGE_ID ?? `edge-${run}-${++edgeCount}`;
  const edge = await startEdgeProcess({
    EDGE_ID: edgeId,
    EDGE_REGION: 'eu',
    EDGE_DIR: join(dir, 'edges', edgeId),
    EDGE_UPSTREAM: origin.url,
    EVENT_STORE_URL: eventStoreUrl,
    DATA_DIR: dir,
    ...env,
  });
  started.push(edge);
  return { edge, edgeId };
};

const eventsOf = async (edgeId: string) => {
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for await (const recorded of store.readStream(streamName('edge', edgeId)))
    events.push({ type: recorded.type, data: recorded.data as Record<string, unknown> });
  return events;
};
const typesOf = async (edgeId: string) => (await eventsOf(edgeId)).map((event) => event.type);

const newTitle = async (segmentBytes = 100_000, segments = 4) => {
  const titleId = `t-${Math.random().toString(36).slice(2, 10)}`;
  const pkg = await writePackage(join(dir, 'origin'), titleId, 'e1', packageLayout(segmentBytes, segments));
  return { titleId, ...pkg };
};

const contentUrl = (edge: EdgeProcess, titleId: string, file: string) => viewerUrl(edge.url, titleId, file);

describe('an edge', () => {
  it('registers once, keeps a heartbeat, and fills a published title onto its disk', async () => {
    const { titleId, index } = await newTitle();
    const { edge, edgeId } = await startEdge();
    await publish(store, titleId, 'e1');
    await filled(edge, titleId);

    expect(await typesOf(edgeId)).toEqual(['EdgeRegistered', 'EdgeFillStarted', 'EdgeFillCompleted']);
    const completed = (await eventsOf(edgeId))[2]?.data;
    expect(completed).toMatchObject({ titleId, encodingId: 'e1' });
    expect(completed?.bytes).toBeGreaterThan(index.totalBytes);
    for (const file of index.files) {
      const copy = await readFile(join(dir, 'edges', edgeId, 'content', titleId, 'e1', file.path));
      expect(copy.equals(await readFile(join(dir, 'origin', titleId, 'e1', file.path)))).toBe(true);
    }
    const served = await fetch(contentUrl(edge, titleId, segmentName('v720', 2)));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-cache')).toBe('hit');

    const health = openRedisEdgeHealth(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      expect((await health.healthy([edgeId])).has(edgeId)).toBe(true);
      // Stopped on purpose, it leaves steering's rankings at once, not when its heartbeat expires.
      // Restarted with the same configuration: no second registration, nothing filled again.
      await edge.stop();
      expect((await health.healthy([edgeId])).has(edgeId)).toBe(false);
    } finally {
      await health.close();
    }
    const again = await startEdge({ EDGE_ID: edgeId, EDGE_PORT: new URL(edge.url).port });
    expect((await edgeStatus(again.edge)).held.map((held: { titleId: string }) => held.titleId)).toEqual([titleId]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await typesOf(edgeId)).toEqual(['EdgeRegistered', 'EdgeFillStarted', 'EdgeFillCompleted']);
  });

  it('killed mid-fill, resumes on restart with only the missing files, and never serves the partial title', async () => {
    const { titleId, index } = await newTitle(2_000_000, 6);
    const edgeId = `edge-${run}-resume`;
    // 40 Mbit/s: the 24 MB package takes about five seconds, time enough to kill it midway.
    const { edge } = await startEdge({ EDGE_ID: edgeId, FILL_RATE_MBPS: '40', FILL_CONCURRENCY: '2' });
    await publish(store, titleId, 'e1');
    const partial = join(dir, 'edges', edgeId, 'partial', titleId, 'e1');
    const firstFile = await eventually(async () => {
      const status = await edgeStatus(edge);
      const filling = status.filling.find((fill: { titleId: string }) => fill.titleId === titleId);
      return filling && filling.bytesDone > 6_000_000 ? filling : undefined;
    });
    expect(firstFile.bytesDone).toBeLessThan(index.totalBytes);
    // Mid-fill, a viewer asking this edge is streamed through from upstream, never the partial copy.
    const during = await fetch(contentUrl(edge, titleId, segmentName('v360', 1)));
    expect(during.headers.get('x-cache')).toBe('miss');
    expect(Buffer.from(await during.arrayBuffer()).length).toBe(2_000_000);
    await edge.kill();
    const verifiedBeforeRestart = (
      await Promise.all(
        index.files.map(async (file) =>
          (await stat(join(partial, file.path)).catch(() => undefined))?.size === file.size ? file : undefined,
        ),
      )
    ).filter((file) => file !== undefined);
    expect(verifiedBeforeRestart.length).toBeGreaterThan(0);
    expect(verifiedBeforeRestart.length).toBeLessThan(index.files.length);
    expect(await typesOf(edgeId)).toEqual(['EdgeRegistered', 'EdgeFillStarted']);

    const restarted = await startEdge({ EDGE_ID: edgeId, FILL_CONCURRENCY: '2', EDGE_PORT: new URL(edge.url).port });
    await filled(restarted.edge, titleId);
    expect(await typesOf(edgeId)).toEqual(['EdgeRegistered', 'EdgeFillStarted', 'EdgeFillCompleted']);
    const metrics = await (await fetch(`${restarted.edge.url}/metrics`)).text();
    const refetched = Number(/^edge_fill_bytes_total (\d+)/m.exec(metrics)?.[1]);
    const alreadyThere = verifiedBeforeRestart.reduce((total, file) => total + file.size, 0);
    expect(refetched).toBe(index.totalBytes - alreadyThere);
    for (const file of index.files) {
      const copy = await readFile(join(dir, 'edges', edgeId, 'content', titleId, 'e1', file.path));
      expect(copy.equals(await readFile(join(dir, 'origin', titleId, 'e1', file.path)))).toBe(true);
    }
  });

  it('refetches a file whose sha256 is wrong, then fails the fill with the reason and holds nothing', async () => {
    const { titleId } = await newTitle();
    // The origin's copy no longer matches its index.json, as after a disk fault.
    await writeFile(join(dir, 'origin', titleId, 'e1', segmentName('v720', 3)), Buffer.alloc(100_000, 7));
    const { edge, edgeId } = await startEdge();
    await publish(store, titleId, 'e1');
    const failed = await eventually(async () =>
      (await eventsOf(edgeId)).find((event) => event.type === 'EdgeFillFailed'),
    );
    expect(failed.data.reason).toMatch(/segment-v720-00003\.m4s arrived with a sha256 that differs from index\.json/);
    expect(edge.output.filter((line) => /fetching it again/.test(line) && /v720-00003/.test(line))).toHaveLength(1);
    const status = await edgeStatus(edge);
    expect(status.held).toEqual([]);
    expect(status.recentFailures[0]).toMatchObject({ titleId, reason: failed.data.reason });
    await expect(stat(join(dir, 'edges', edgeId, 'partial', titleId, 'e1'))).rejects.toThrow();
    await expect(stat(join(dir, 'edges', edgeId, 'content', titleId, 'e1'))).rejects.toThrow();
  });

  it('evicts the least recently served title when a new one does not fit, and an unpublished one at once', async () => {
    const [a, b, c] = [await newTitle(), await newTitle(), await newTitle()];
    // Room for two of these packages (about 0.82 MB each), not three.
    const { edge, edgeId } = await startEdge({ EDGE_CAPACITY: '1.8MB' });
    await publish(store, a.titleId, 'e1');
    await filled(edge, a.titleId);
    await publish(store, b.titleId, 'e1');
    await filled(edge, b.titleId);
    // A is watched after B arrived, so B is now the least recently served.
    expect((await fetch(contentUrl(edge, a.titleId, 'manifest.mpd'))).status).toBe(200);
    await publish(store, c.titleId, 'e1');
    await filled(edge, c.titleId);
    const held = (await edgeStatus(edge)).held.map((entry: { titleId: string }) => entry.titleId).toSorted();
    expect(held).toEqual([a.titleId, c.titleId].toSorted());
    const evicted = (await eventsOf(edgeId)).filter((event) => event.type === 'EdgeEvicted');
    expect(evicted.map((event) => event.data)).toEqual([
      expect.objectContaining({ titleId: b.titleId, reason: 'capacity' }),
    ]);
    await expect(stat(join(dir, 'edges', edgeId, 'content', b.titleId, 'e1'))).rejects.toThrow();

    await unpublish(store, a.titleId, 'e1');
    await eventually(async () =>
      (await edgeStatus(edge)).held.some((entry: { titleId: string }) => entry.titleId === a.titleId)
        ? undefined
        : true,
    );
    // The package leaves the disk (and /status) just before EdgeEvicted is appended.
    const unpublished = await eventually(
      async () => (await eventsOf(edgeId)).filter((event) => event.type === 'EdgeEvicted')[1]?.data,
    );
    expect(unpublished).toMatchObject({
      titleId: a.titleId,
      reason: 'unpublished',
    });
    await expect(stat(join(dir, 'edges', edgeId, 'content', a.titleId, 'e1'))).rejects.toThrow();

    // A viewer whose token still opens the withdrawn title is refused it, and nothing is pulled through or stored.
    for (const file of ['manifest.mpd', 'poster.jpg']) {
      const late = await fetch(contentUrl(edge, a.titleId, file));
      expect(late.status, file).toBe(403);
      expect(await late.json()).toEqual({ error: 'TitleUnavailable', message: 'This title is no longer available.' });
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const refills = (await eventsOf(edgeId)).filter(
      (event) => event.type === 'EdgeFillStarted' && event.data.titleId === a.titleId,
    );
    expect(refills).toHaveLength(1);
  });

  it('finishes a fill that was moved into place but not yet reported when the edge was killed', async () => {
    const { titleId } = await newTitle();
    const edgeId = `edge-${run}-installed`;
    const port = await freePort();
    const at = new Date().toISOString();
    const packageDir = join(dir, 'origin', titleId, 'e1');
    const indexText = await readFile(join(packageDir, 'index.json'), 'utf8');
    const bytes = JSON.parse(indexText).totalBytes + Buffer.byteLength(indexText);
    // What the edge had done before the kill: registered, started the fill, moved the package in.
    await handleCommand(store, streamName('edge', edgeId), edgeDecider, [
      {
        type: 'RegisterEdge',
        edgeId,
        url: `http://127.0.0.1:${port}`,
        region: 'eu',
        capacityBytes: 20e9,
        upstream: origin.url,
        at,
      },
      { type: 'StartFill', titleId, encodingId: 'e1', bytes, at },
    ]);
    await cp(packageDir, join(dir, 'edges', edgeId, 'content', titleId, 'e1'), { recursive: true });

    const { edge } = await startEdge({ EDGE_ID: edgeId, EDGE_PORT: String(port) });
    await eventually(async () => ((await typesOf(edgeId)).includes('EdgeFillCompleted') ? true : undefined));
    expect(await typesOf(edgeId)).toEqual(['EdgeRegistered', 'EdgeFillStarted', 'EdgeFillCompleted']);
    const metrics = await (await fetch(`${edge.url}/metrics`)).text();
    expect(Number(/^edge_fill_bytes_total (\d+)/m.exec(metrics)?.[1])).toBe(0);
    expect((await fetch(contentUrl(edge, titleId, 'poster.jpg'))).headers.get('x-cache')).toBe('hit');
  });

  it('outside its fill window lists published titles as waiting, and pulls a requested one through so the next viewer hits', async () => {
    const { titleId, index } = await newTitle();
    const hour = new Date().getHours();
    const closed = `${String((hour + 2) % 24).padStart(2, '0')}:00-${String((hour + 3) % 24).padStart(2, '0')}:00`;
    const { edge } = await startEdge({ FILL_WINDOW: closed });
    await publish(store, titleId, 'e1');
    const waiting = await eventually(async () => (await edgeStatus(edge)).waiting[0]);
    expect(waiting).toMatchObject({ titleId, encodingId: 'e1', waitingFor: 'fill window' });
    expect((await edgeStatus(edge)).fillWindow).toBe(closed);

    // Streamed through, a miss keeps HTTP's meaning: HEAD is headers only, a range past the end 416.
    const head = await fetch(contentUrl(edge, titleId, 'poster.jpg'), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('x-cache')]).toEqual([
      200,
      '20000',
      'miss',
    ]);
    const beyond = await fetch(contentUrl(edge, titleId, 'poster.jpg'), { headers: { range: 'bytes=999999-' } });
    expect([beyond.status, beyond.headers.get('content-range')]).toEqual([416, 'bytes */20000']);
    const miss = await fetch(contentUrl(edge, titleId, segmentName('v360', 2)));
    expect(miss.status).toBe(200);
    expect(miss.headers.get('x-cache')).toBe('miss');
    const original = await readFile(join(dir, 'origin', titleId, 'e1', segmentName('v360', 2)));
    expect(Buffer.from(await miss.arrayBuffer()).equals(original)).toBe(true);
    await filled(edge, titleId);
    const hit = await fetch(contentUrl(edge, titleId, segmentName('v360', 2)));
    expect(hit.headers.get('x-cache')).toBe('hit');
    expect(Buffer.from(await hit.arrayBuffer()).equals(original)).toBe(true);
    expect(index.files.length).toBeGreaterThan(1);
  });

  it('fills from another edge (tiered fill)', async () => {
    const { titleId } = await newTitle();
    const parent = await startEdge();
    const child = await startEdge({ EDGE_UPSTREAM: parent.edge.url, EDGE_REGION: 'us' });
    await publish(store, titleId, 'e1');
    await filled(parent.edge, titleId);
    await filled(child.edge, titleId);
    const served = await fetch(contentUrl(child.edge, titleId, 'poster.jpg'));
    expect(served.headers.get('x-cache')).toBe('hit');
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });

  it("names the session's other edges in its manifest at the URL they registered with", async () => {
    const { titleId } = await newTitle();
    const first = await startEdge();
    const second = await startEdge({ EDGE_REGION: 'us' });
    await publish(store, titleId, 'e1');
    await filled(first.edge, titleId);
    // The second edge registered after the first started: the first learns its URL from the log.
    const manifest = await fetch(
      viewerUrl(first.edge.url, titleId, 'manifest.mpd', { maxHeight: 360, pathways: [second.edgeId, first.edgeId] }),
    );
    expect([manifest.status, manifest.headers.get('x-cache')]).toEqual([200, 'hit']);
    const mpd = await manifest.text();
    expect([...mpd.matchAll(/<BaseURL serviceLocation="([^"]+)">(http:\/\/[^/]+)/g)].map((m) => [m[1], m[2]])).toEqual([
      [first.edgeId, first.edge.url],
      [second.edgeId, second.edge.url],
      ['origin', 'http://127.0.0.1:8100'],
    ]);
    expect(mpd).toContain(`<ContentSteering defaultServiceLocation="${first.edgeId}"`);
    expect(mpd).not.toMatch(/id="v720"/);
  });
});

describe('the origin', () => {
  it('refuses a title once it is unpublished on its log, and serves it again once republished', async () => {
    const { titleId } = await newTitle(1_000, 1);
    const url = viewerUrl(origin.url, titleId, segmentName('v360', 1));
    expect((await fetch(url)).status).toBe(200);
    const log = await openEventStore(originLog);
    try {
      await publish(log, titleId, 'e1');
      await unpublish(log, titleId, 'e1');
      const refused = await eventually(async () => {
        const answer = await fetch(url);
        return answer.status === 403 ? answer : undefined;
      });
      expect(await refused.json()).toEqual({
        error: 'TitleUnavailable',
        message: 'This title is no longer available.',
      });
      await publish(log, titleId, 'e1');
      await eventually(async () => ((await fetch(url)).status === 200 ? true : undefined));
    } finally {
      await log.close();
    }
  });
});
