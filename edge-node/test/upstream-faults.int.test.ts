import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { edgeDecider, streamName } from '@marquee/domain';
import {
  type CheckpointStore,
  createLogger,
  type EventStore,
  handleCommand,
  openCheckpointStore,
  openEventStore,
} from '@marquee/platform';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { catalogOf, emptyCatalog } from '../src/catalog-follower';
import { type EdgeDisk, openEdgeDisk } from '../src/content-disk';
import { createEdgeServer } from '../src/edge-app';
import { createEdgeMetrics } from '../src/edge-metrics';
import { type FillAgent, type FillStatus, startFillAgent } from '../src/fill-agent';
import {
  contentTokenSecret,
  eventually,
  packageLayout,
  publish,
  segmentName,
  viewerUrl,
  writePackage,
} from './edge-fixtures';

/*
 * An edge in this process (fill agent and server) against an upstream that misbehaves on
 * purpose: a file that is missing while others are still arriving, a disk that fills up mid-fill,
 * a body cut off halfway. What an operator would see: the fill fails with its reason, nothing is
 * left downloading or lying in partial/, and what the edge holds is still served.
 */

type Fault = 'missing' | 'held' | { cutAfter: number; times: number; by: 'close' | 'reset' };

/** Serves `<dir>/<title>/<encoding>/<file>` for `/c/<token>/…`, with faults per `<title>/<file>`. */
const startFaultyUpstream = async (dir: string) => {
  const faults = new Map<string, Fault>();
  /** Requests not answered in full yet, and the `<title>/<file>` each asked for. */
  const open = new Map<IncomingMessage, string>();
  /** Held requests that the edge gave up on before they were let go. */
  let abandoned = 0;
  let requests = 0;
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const [, , , titleId = '', encodingId = '', ...rest] = (req.url ?? '').split('/');
    const file = decodeURIComponent(rest.join('/'));
    open.set(req, `${titleId}/${file}`);
    res.once('close', () => open.delete(req));
    const fault = faults.get(`${titleId}/${file}`);
    const body = await readFile(join(dir, titleId, encodingId, file)).catch(() => undefined);
    if (!body || fault === 'missing') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
    if (fault === 'held') {
      res.write(body.subarray(0, 1000));
      const gaveUp = new Promise<boolean>((resolve) => res.once('close', () => resolve(true)));
      if (await Promise.race([released.then(() => false), gaveUp])) abandoned += 1;
      else res.end(body.subarray(1000));
      return;
    }
    if (typeof fault === 'object' && fault.times > 0) {
      fault.times -= 1;
      res.write(body.subarray(0, fault.cutAfter));
      setTimeout(() => (fault.by === 'reset' ? res.socket?.resetAndDestroy() : res.destroy()), 20);
      return;
    }
    res.end(body);
  };
  const server = createServer((req, res) => void handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    open: (key?: string) => [...open.values()].filter((each) => key === undefined || each === key).length,
    abandoned: () => abandoned,
    requests: () => requests,
    release: () => release(),
    close: async () => {
      release();
      server.closeAllConnections();
      server.close();
    },
  };
};

type Upstream = Awaited<ReturnType<typeof startFaultyUpstream>>;

/** The bytes of every file under `dir`. */
const bytesUnder = async (dir: string) => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries)
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  return total;
};

const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const each of started.splice(0).reverse()) await each.close();
});

const segmentBytes = 200_000;

const startEdge = async (
  options: { capacityBytes?: number; concurrency?: number; disk?: (disk: EdgeDisk) => EdgeDisk } = {},
) => {
  const dir = mkdtempSync(join(tmpdir(), 'marquee-faults-'));
  const originDir = join(dir, 'origin');
  const upstream = await startFaultyUpstream(originDir);
  const store: EventStore = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
  const checkpoints: CheckpointStore = await openCheckpointStore(`file:${join(dir, 'edge')}`);
  const realDisk = await openEdgeDisk(join(dir, 'edge'));
  const disk = options.disk ? options.disk(realDisk) : realDisk;
  const edgeId = 'edge-faults';
  const capacityBytes = options.capacityBytes ?? 1e9;
  let clock = Date.now();
  const now = () => new Date(clock);
  await handleCommand(store, streamName('edge', edgeId), edgeDecider, {
    type: 'RegisterEdge',
    edgeId,
    url: 'http://edge.example:8101',
    region: 'eu',
    capacityBytes,
    upstream: upstream.url,
    at: now().toISOString(),
  });
  const logger = createLogger('edge', 'silent');
  const errors = vi.spyOn(logger, 'error');
  const warnings = vi.spyOn(logger, 'warn');
  const metrics = createEdgeMetrics(() => realDisk.usedBytes());
  const agent: FillAgent = await startFillAgent({
    edgeId,
    eventStore: store,
    disk,
    upstream: upstream.url,
    contentTokenSecret,
    concurrency: options.concurrency ?? 4,
    checkpoints,
    metrics,
    logger,
    now,
  });
  const server: Server = createEdgeServer({
    identity: { role: 'edge', edgeId, region: 'eu', capacityBytes, upstream: upstream.url, url: 'http://edge' },
    disk,
    contentTokenSecret,
    metrics,
    logger,
    catalog: catalogOf(emptyCatalog()),
    originUrl: 'http://origin.example:8100',
    steeringUrl: 'http://steering.example/steering',
    fillAgent: agent,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  started.push({
    close: async () => {
      server.closeAllConnections();
      server.close();
      await agent.close();
      await upstream.close();
      await checkpoints.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  });

  const newTitle = async (titleId: string) => {
    const { index } = await writePackage(originDir, titleId, 'e1', packageLayout(segmentBytes, 4));
    return index;
  };
  const events = async () => {
    const all: { type: string; data: Record<string, unknown> }[] = [];
    for await (const recorded of store.readStream(streamName('edge', edgeId)))
      all.push({ type: recorded.type, data: recorded.data as Record<string, unknown> });
    return all;
  };
  const failure = (titleId: string) =>
    eventually(
      async () => (await events()).find((event) => event.type === 'EdgeFillFailed' && event.data.titleId === titleId),
      20_000,
      `the fill of ${titleId} to fail`,
    );
  const held = (titleId: string) =>
    eventually(async () => realDisk.holds(titleId, 'e1') || undefined, 20_000, `the edge to hold ${titleId}`);
  const status = async () =>
    (await fetch(`${url}/status`)).json() as Promise<FillStatus & { held: { titleId: string }[] }>;
  return {
    dir,
    edgeDir: join(dir, 'edge'),
    originDir,
    upstream: upstream as Upstream,
    store,
    url,
    errors,
    warnings,
    newTitle,
    events,
    failure,
    held,
    status,
    advance: (ms: number) => {
      clock += ms;
    },
  };
};

/** Lets the upstream, and anything still downloading from it, finish what it was doing. */
const settle = async (upstream: Upstream) => {
  upstream.release();
  let seen = -1;
  await eventually(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const quiet = upstream.open() === 0 && upstream.requests() === seen;
    seen = upstream.requests();
    return quiet || undefined;
  });
};

describe('a fill whose file cannot be had', () => {
  it('stops the downloads still in flight, leaves nothing in partial/, and never holds more than its capacity', async () => {
    const packageBytes = 13 * 20_000 + 8 * segmentBytes;
    // Room for one of these packages, not two.
    const edge = await startEdge({ capacityBytes: Math.round(packageBytes * 1.5) });
    await edge.newTitle('t-broken');
    await edge.newTitle('t-next');
    for (const n of [1, 3, 4]) edge.upstream.faults.set(`t-broken/${segmentName('v360', n)}`, 'held');
    edge.upstream.faults.set(`t-broken/${segmentName('v360', 2)}`, 'missing');
    for (const n of [1, 2, 3, 4]) edge.upstream.faults.set(`t-broken/${segmentName('v720', n)}`, 'held');

    await publish(edge.store, 't-broken', 'e1');
    const failed = await edge.failure('t-broken');
    expect(failed.data.reason).toMatch(/answered 404 .*segment-v360-00002\.m4s/);
    // The other files of the failed fill are no longer being fetched, and their parts are gone.
    await eventually(async () => edge.upstream.open() === 0 || undefined, 5_000, 'the held downloads to stop');
    expect(edge.upstream.abandoned()).toBeGreaterThan(0);
    await expect(stat(join(edge.edgeDir, 'partial', 't-broken', 'e1'))).rejects.toThrow();

    // The room it had is given to the next fill; the failed one must not come back to take it too.
    await publish(edge.store, 't-next', 'e1');
    await edge.held('t-next');
    await settle(edge.upstream);
    expect(await bytesUnder(join(edge.edgeDir, 'partial'))).toBe(0);
    expect(await bytesUnder(join(edge.edgeDir, 'content'))).toBeLessThanOrEqual(packageBytes * 1.5);
    expect((await edge.status()).held.map((entry: { titleId: string }) => entry.titleId)).toEqual(['t-next']);
  });
});

/** A disk that runs out of room once `full` is set: every write fails as the kernel's would. */
const fillingDisk =
  (state: { full: boolean }) =>
  (disk: EdgeDisk): EdgeDisk => ({
    ...disk,
    openForWriting: (path) => {
      if (!state.full) return disk.openForWriting(path);
      const real = disk.openForWriting(path);
      let written = 0;
      return new Writable({
        write(chunk: Buffer, _encoding, done) {
          written += chunk.length;
          if (written < 50_000) return real.write(chunk, done);
          done(Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28 }));
        },
        final(done) {
          real.end(done);
        },
        destroy(error, done) {
          real.destroy();
          done(error);
        },
      });
    },
  });

describe('an edge whose disk fills up mid-fill', () => {
  it('fails that fill as "disk full", keeps serving what it holds, and tries again later', async () => {
    const disk = { full: false };
    const edge = await startEdge({ disk: fillingDisk(disk) });
    await edge.newTitle('t-held');
    await edge.newTitle('t-big');
    await publish(edge.store, 't-held', 'e1');
    await edge.held('t-held');

    disk.full = true;
    await publish(edge.store, 't-big', 'e1');
    const failed = await edge.failure('t-big');
    expect(failed.data.reason).toMatch(/^disk full: /);
    // The failure is logged once its retry is scheduled, a moment after the event is appended.
    await vi.waitFor(() =>
      expect(edge.errors).toHaveBeenCalledWith(
        expect.objectContaining({ titleId: 't-big', reason: failed.data.reason }),
        'fill failed',
      ),
    );
    const status = await edge.status();
    expect(status.recentFailures[0]).toMatchObject({ titleId: 't-big', reason: failed.data.reason });
    expect(status.waiting).toEqual([expect.objectContaining({ titleId: 't-big', waitingFor: 'a retry' })]);
    await settle(edge.upstream);
    await expect(stat(join(edge.edgeDir, 'partial', 't-big', 'e1'))).rejects.toThrow();

    // What it holds is still served, from its own disk.
    const segment = await fetch(viewerUrl(edge.url, 't-held', segmentName('v720', 2)));
    expect([segment.status, segment.headers.get('x-cache')]).toEqual([200, 'hit']);
    const stored = await readFile(join(edge.originDir, 't-held', 'e1', segmentName('v720', 2)));
    expect(Buffer.from(await segment.arrayBuffer()).equals(stored)).toBe(true);

    // Room is made (an operator cleared the disk); the retry comes due and the fill completes.
    disk.full = false;
    edge.advance(60 * 60_000);
    await edge.held('t-big');
    expect((await edge.events()).filter((event) => event.type === 'EdgeFillStarted')).toHaveLength(3);
  }, 20_000);
});

describe('a miss streamed through from an upstream that cuts the body off', () => {
  it.each(['close', 'reset'] as const)(
    '(by %s) fails that response, stays up, and does not keep the cut file as complete',
    async (by) => {
      const edge = await startEdge();
      const index = await edge.newTitle('t-cut');
      const file = segmentName('v360', 2);
      // The viewer's request and the fill's first try of that file are both cut off halfway.
      edge.upstream.faults.set(`t-cut/${file}`, { cutAfter: segmentBytes / 2, times: 2, by });
      const miss = await fetch(viewerUrl(edge.url, 't-cut', file));
      expect([miss.status, miss.headers.get('x-cache')]).toEqual([200, 'miss']);
      await expect(miss.arrayBuffer()).rejects.toThrow();
      // The operator learns that the upstream cut it off: a viewer closing the tab is not what happened.
      await eventually(
        async () => edge.errors.mock.calls.some(([, message]) => message === 'content request failed') || undefined,
      );
      const [logged] = edge.errors.mock.calls.find(([, message]) => message === 'content request failed') ?? [];
      expect(logged).toMatchObject({ error: `the upstream cut off ${file} after ${segmentBytes / 2} bytes` });
      expect(JSON.stringify(logged)).not.toMatch(/\/c\/[^.…/]+\.[^/]+\//);

      expect((await fetch(`${edge.url}/healthz`)).status).toBe(200);
      // The fill's own first try of it was cut too: fetched again, never kept as it came.
      await eventually(
        async () =>
          edge.warnings.mock.calls.some(
            ([fields]) =>
              (fields as { problem?: string }).problem ===
              `the upstream cut off ${file} after ${segmentBytes / 2} bytes`,
          ) || undefined,
      );
      await edge.held('t-cut');
      const stored = await readFile(join(edge.edgeDir, 'content', 't-cut', 'e1', file));
      expect(stored.length).toBe(index.files.find((entry) => entry.path === file)?.size);
      const hit = await fetch(viewerUrl(edge.url, 't-cut', file));
      expect([hit.status, hit.headers.get('x-cache')]).toEqual([200, 'hit']);
      expect(Buffer.from(await hit.arrayBuffer()).equals(stored)).toBe(true);
    },
  );
});

describe('a viewer who leaves mid-body on a miss', () => {
  it('stops the pull-through from the upstream, logs no error, and the fill goes on', async () => {
    const edge = await startEdge();
    await edge.newTitle('t-leave');
    const file = segmentName('v720', 1);
    edge.upstream.faults.set(`t-leave/${file}`, 'held');
    const leaving = new AbortController();
    const miss = await fetch(viewerUrl(edge.url, 't-leave', file), { signal: leaving.signal });
    expect([miss.status, miss.headers.get('x-cache')]).toEqual([200, 'miss']);
    await miss.body?.getReader().read();
    leaving.abort();
    // The viewer's pull-through is let go; the fill's download of the same file is still waiting.
    await eventually(async () => edge.upstream.abandoned() === 1 || undefined, 5_000, 'the pull-through to stop');
    edge.upstream.release();
    await edge.held('t-leave');
    expect(edge.errors).not.toHaveBeenCalled();
  });

  it('stops fetching the stored manifest from the upstream when the viewer leaves before it is rewritten', async () => {
    const edge = await startEdge();
    await edge.newTitle('t-leave');
    edge.upstream.faults.set('t-leave/manifest.mpd', 'held');
    const leaving = new AbortController();
    const asked = fetch(viewerUrl(edge.url, 't-leave', 'manifest.mpd'), { signal: leaving.signal });
    asked.catch(() => {});
    // The viewer's request for it and the fill's are both at the upstream.
    await eventually(async () => edge.upstream.open('t-leave/manifest.mpd') === 2 || undefined);
    leaving.abort();
    await eventually(async () => edge.upstream.abandoned() === 1 || undefined, 5_000, 'the manifest fetch to stop');
    expect(edge.upstream.open('t-leave/manifest.mpd')).toBe(1);
    edge.upstream.release();
    await edge.held('t-leave');
    expect(edge.errors).not.toHaveBeenCalled();
  });
});

describe('a held file that is gone from the disk when it is read', () => {
  it('is answered with an error status and logged, not a 200 that breaks off', async () => {
    const edge = await startEdge();
    await edge.newTitle('t-gone');
    await publish(edge.store, 't-gone', 'e1');
    await edge.held('t-gone');
    const file = segmentName('v360', 1);
    expect((await fetch(viewerUrl(edge.url, 't-gone', file))).headers.get('x-cache')).toBe('hit');
    // Removed behind the edge's back (an operator, a failing disk): the edge still thinks it holds it.
    await rm(join(edge.edgeDir, 'content', 't-gone', 'e1', file));
    const answer = await fetch(viewerUrl(edge.url, 't-gone', file));
    expect(answer.status).toBe(502);
    expect(edge.errors).toHaveBeenCalledWith(
      expect.objectContaining({ error: expect.stringMatching(/ENOENT/) }),
      'content request failed',
    );
    expect((await fetch(viewerUrl(edge.url, 't-gone', segmentName('v360', 2)))).status).toBe(200);
  });
});
