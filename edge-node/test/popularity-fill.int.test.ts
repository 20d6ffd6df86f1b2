import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FillPolicy } from '@marquee/domain';
import { type EventStore, openEventStore, readDomainEvent } from '@marquee/platform';
import { simulateFill } from '@marquee/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededShuffle, zipfDemand } from '../src/testing';
import {
  type EdgeProcess,
  edgeStatus,
  encoded,
  eventually,
  packageLayout,
  publish,
  startEdgeProcess,
  startPlay,
  viewerUrl,
  writePackage,
} from './edge-fixtures';

/*
 * Popularity fill against LRU, on the real program: an origin and three edges (one per region)
 * whose disks hold three of the eight titles, the same skewed demand for each policy (seeded
 * Zipf, each region with its own taste). Every play is appended as PlaybackStarted, so the
 * popularity policy sees it, and then fetched whole from the viewer's edge with a session token.
 * Offload is what a CDN operator measures: bytes the edges served from their disks (`X-Cache:
 * hit`) over all bytes viewers received.
 */

const regions = ['eu', 'us', 'asia'];
const titleCount = 8;
const playsPerRegion = 48;
const seed = 17;

let dir: string;
let origin: EdgeProcess;
const titles: { titleId: string; files: string[]; bytes: number }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-popularity-'));
  origin = await startEdgeProcess({
    EDGE_ROLE: 'origin',
    EDGE_DIR: join(dir, 'origin'),
    DATA_DIR: dir,
    EVENT_STORE_URL: `sqlite:${join(dir, 'origin-events.db')}`,
  });
  for (let n = 1; n <= titleCount; n++) {
    const titleId = `pop-t${n}`;
    const { index } = await writePackage(join(dir, 'origin'), titleId, 'e1', packageLayout(40_000, 4));
    titles.push({ titleId, files: index.files.map((file) => file.path), bytes: index.totalBytes });
  }
});
afterAll(async () => {
  await origin?.stop();
  await rm(dir, { recursive: true, force: true });
});

const catalogue = async (store: EventStore) => {
  for (const { titleId, bytes, files } of titles) {
    await encoded(store, titleId, 'e1', { files: files.length, bytes });
    await publish(store, titleId, 'e1');
  }
};

type Figures = {
  policy: FillPolicy;
  hitBytes: number;
  allBytes: number;
  offload: number;
  byRegion: string[];
  /** The run's log, and each edge's capacity: what the simulator replays. */
  log: string;
  capacity: number;
};

/** What the edges reported of the run (ServingReported): bytes to viewers from their disks, and all bytes to viewers. */
const reportedOffload = async (store: EventStore) => {
  let hit = 0;
  let all = 0;
  for await (const recorded of store.readAll({ filter: { eventTypes: ['ServingReported'] } })) {
    const event = readDomainEvent(recorded);
    if (event.type !== 'ServingReported') continue;
    for (const session of event.data.sessions) {
      if (event.data.role === 'edge') hit += session.hitBytes;
      all += session.hitBytes + session.missBytes;
    }
  }
  return { hit, all };
};

/**
 * Waits until no edge has a fill running or waiting, and then a moment more: the next viewer
 * comes once the fills the last one set off have landed. How long a fill takes here is how busy
 * the machine is that second (on a loaded CI run one took 0.12 s, the next 0.47 s); a viewer racing
 * it measured that, not the policy, and put lru 3.5 to 8 points from the simulator.
 */
const settled = async (edges: EdgeProcess[]) => {
  for (const edge of edges)
    await eventually(async () => {
      const status = await edgeStatus(edge);
      return (status.filling.length === 0 && status.waiting.length === 0) || undefined;
    }, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 20));
};

/** One run: fresh log and edges with `policy`, the seeded plays, bytes counted by X-Cache. */
const run = async (policy: FillPolicy): Promise<Figures> => {
  const log = `sqlite:${join(dir, `events-${policy}.db`)}`;
  const store = await openEventStore(log);
  await catalogue(store);
  const catalogueHead = await store.headPosition();
  // Room for three of the eight packages (each counted a little above its files: the index too).
  const capacity = Math.floor((titles[0]?.bytes ?? 0) * 3.5);
  const edges = await Promise.all(
    regions.map((region) =>
      startEdgeProcess({
        EDGE_ID: `edge-${region}-${policy}`,
        EDGE_REGION: region,
        EDGE_DIR: join(dir, 'edges', policy, region),
        EDGE_UPSTREAM: origin.url,
        EDGE_CAPACITY: String(capacity),
        EVENT_STORE_URL: `sqlite:${join(dir, `events-${policy}.db`)}`,
        DATA_DIR: dir,
        FILL_POLICY: policy,
        // Fills share a capped link, as in production: a fill set off by a miss does not land within
        // the viewer's own session (on this machine it would, and hide the misses).
        FILL_RATE_MBPS: '8',
      }),
    ),
  );
  try {
    // The viewers come once every edge has taken in the catalogue: fill-all's fills of the
    // publishes (two at a time, over the capped link) have landed, and the others have nothing
    // queued. A viewer arriving mid-burst would measure how fast this machine is that minute.
    for (const [r, edge] of edges.entries())
      await eventually(
        async () => {
          const status = await edgeStatus(edge);
          const settled =
            (status.checkpoint ?? -1) >= catalogueHead && status.filling.length === 0 && status.waiting.length === 0;
          return settled || undefined;
        },
        60_000,
        `${regions[r]} to take in the catalogue`,
      );
    const plays = regions.map((_, r) =>
      zipfDemand({
        items: seededShuffle(
          titles.map((title) => title.titleId),
          seed + r,
        ),
        plays: playsPerRegion,
        seed: seed * 31 + r,
        exponent: 1.2,
      }),
    );
    const served = regions.map(() => ({ hit: 0, all: 0 }));
    for (let i = 0; i < playsPerRegion; i++)
      for (const [r, region] of regions.entries()) {
        const titleId = plays[r]?.[i] as string;
        const sessionId = `${policy}-${region}-${i}`;
        await startPlay(store, { sessionId, titleId, region });
        const edge = edges[r] as EdgeProcess;
        const files = titles.find((title) => title.titleId === titleId)?.files ?? [];
        for (const file of files) {
          const response = await fetch(viewerUrl(edge.url, titleId, file, { sessionId, region }));
          expect(response.status, `${file} from ${region}`).toBe(200);
          const bytes = (await response.arrayBuffer()).byteLength;
          served[r] = {
            hit: (served[r]?.hit ?? 0) + (response.headers.get('x-cache') === 'hit' ? bytes : 0),
            all: (served[r]?.all ?? 0) + bytes,
          };
        }
        // The next viewer comes once the fills this play set off have landed.
        await settled(edges);
      }
    if (policy === 'popularity') {
      // Each edge says what it predicts, and holds the region's favourite by the end.
      for (const [r, edge] of edges.entries()) {
        const status = await eventually(
          async () => {
            const seen = await edgeStatus(edge);
            return seen.predicted?.[0]?.held ? seen : undefined;
          },
          10_000,
          `${regions[r]} to hold its favourite`,
        );
        expect(status.policy).toBe('popularity');
        expect(status.predicted[0].score).toBeGreaterThan(status.predicted.at(-1).score);
      }
    }
    const hitBytes = served.reduce((sum, figures) => sum + figures.hit, 0);
    const allBytes = served.reduce((sum, figures) => sum + figures.all, 0);
    return {
      policy,
      hitBytes,
      allBytes,
      offload: hitBytes / allBytes,
      byRegion: served.map((figures, r) => `${regions[r]} ${((100 * figures.hit) / figures.all).toFixed(1)}%`),
      log,
      capacity,
    };
  } finally {
    await Promise.all(edges.map((edge) => edge.stop()));
    await store.close();
  }
};

const results: Figures[] = [];

describe('popularity fill on three small edges under skewed demand', () => {
  it('offloads more bytes from the origin than LRU', { timeout: 300_000 }, async () => {
    for (const policy of ['lru', 'popularity', 'fill-all'] as const) results.push(await run(policy));
    console.log(
      [
        `offload over ${regions.length * playsPerRegion} plays, ${titleCount} titles, edges holding 3:`,
        ...results.map(
          (r) =>
            `  ${r.policy.padEnd(10)} ${(100 * r.offload).toFixed(1).padStart(5)}%  (${r.hitBytes} of ${r.allBytes} bytes; ${r.byRegion.join(', ')})`,
        ),
      ].join('\n'),
    );
    const offload = Object.fromEntries(results.map((r) => [r.policy, r.offload]));
    // The same files were asked for under every policy (manifests differ by a URL or two): only where they came from differs.
    const asked = results.map((r) => r.allBytes);
    expect(Math.max(...asked) / Math.min(...asked)).toBeLessThan(1.01);
    // Runs on this machine gave popularity 10 to 11 points over lru; 3 leaves room for timing.
    expect(offload.popularity).toBeGreaterThan((offload.lru ?? 0) + 0.03);
  });

  it('is what the edges reported, and what the simulator replays from the log, within 2 points for lru and fill-all, 5 for popularity', async () => {
    expect(results).toHaveLength(3);
    const lines: string[] = [];
    const gaps: Record<string, number> = {};
    for (const run of results) {
      const store = await openEventStore(run.log);
      try {
        // Telemetry: the edges' own intervals (flushed at their graceful stop) hold every byte the viewers got.
        const reported = await reportedOffload(store);
        expect(reported).toEqual({ hit: run.hitBytes, all: run.allBytes });
        // The viewers here stay on their region's edge, which pulls a miss through; the edges plan
        // again as soon as the titles wanted change, so the simulator re-ranks at every play.
        const simulated = await simulateFill(store, {
          policy: run.policy,
          capacityBytes: run.capacity,
          steering: 'regional',
          rebalanceMinutes: 0,
        });
        const offload = simulated.totals.offloadRatio ?? 0;
        lines.push(
          `  ${run.policy.padEnd(10)} measured ${(100 * run.offload).toFixed(1)}%  simulated ${(100 * offload).toFixed(1)}%`,
        );
        expect(simulated.estimatedSessions).toBe(0);
        gaps[run.policy] = Math.abs(offload - run.offload);
      } finally {
        await store.close();
      }
    }
    console.log(['the simulator against the recorded runs:', ...lines].join('\n'));
    // The viewers come once the fills before them have landed, so lru and fill-all are the
    // policies' decisions alone (what each miss evicts, what fits): runs on an idle machine and
    // under the whole edge-node suite gave both 0.0 points apart. Popularity plans as plays come
    // in, and a plan's fill may land a play sooner or later: 0.0 to 1.4. How long fills take, and
    // how they share the link, is simulated-edges.unit.test.ts's to check, on a timeline it sets.
    expect(gaps.lru, 'lru: simulated against measured').toBeLessThanOrEqual(0.02);
    expect(gaps['fill-all'], 'fill-all: simulated against measured').toBeLessThanOrEqual(0.02);
    expect(gaps.popularity, 'popularity: simulated against measured').toBeLessThanOrEqual(0.05);
  });
});
