import { mkdtempSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServingEvent, ServingReported, streamName } from '@marquee/domain';
import { type EventStore, openEventStore } from '@marquee/platform';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EdgeProcess,
  edgeStatus,
  eventually,
  filled,
  packageLayout,
  publish,
  segmentName,
  startEdgeProcess,
  viewerUrl,
  writePackage,
} from './edge-fixtures';

/*
 * Serving telemetry as a node reports it: an origin and an edge as processes on one SQLite log,
 * intervals of one second, a viewer fetching segments in bursts placed inside each second so
 * that every byte the viewer received belongs to one interval. The edge is SIGKILLed mid-run
 * and restarted on the same disk: every interval is in the log once, with the bytes the viewer
 * received, except at most the one in flight at the kill.
 */

type Report = ServingEvent['data'];

let dir: string;
let eventStoreUrl: string;
let store: EventStore;
let origin: EdgeProcess;
const started: EdgeProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-serving-'));
  eventStoreUrl = `sqlite:${join(dir, 'events.db')}`;
  store = await openEventStore(eventStoreUrl);
  origin = await startEdgeProcess({
    EDGE_ROLE: 'origin',
    EDGE_DIR: join(dir, 'origin'),
    DATA_DIR: dir,
    EVENT_STORE_URL: eventStoreUrl,
    TELEMETRY_INTERVAL_SECONDS: '1',
  });
}, 60_000);
afterEach(async () => {
  await Promise.all(started.splice(0).map((edge) => edge.stop()));
});
afterAll(async () => {
  await origin?.stop();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const startEdge = async (edgeId: string, env: Record<string, string> = {}) => {
  const edge = await startEdgeProcess({
    EDGE_ID: edgeId,
    EDGE_REGION: 'eu',
    EDGE_DIR: join(dir, 'edges', edgeId),
    EDGE_UPSTREAM: origin.url,
    EVENT_STORE_URL: eventStoreUrl,
    DATA_DIR: dir,
    TELEMETRY_INTERVAL_SECONDS: '1',
    ...env,
  });
  started.push(edge);
  return edge;
};

const reportsOf = async (nodeId: string): Promise<Report[]> => {
  const reports: Report[] = [];
  for await (const recorded of store.readStream(streamName('serving', nodeId))) {
    expect(recorded.type).toBe('ServingReported');
    reports.push(ServingReported.schema.parse(recorded.data));
  }
  return reports;
};

const newTitle = async () => {
  const titleId = `t-${Math.random().toString(36).slice(2, 10)}`;
  const pkg = await writePackage(join(dir, 'origin'), titleId, 'e1', packageLayout(20_000, 6));
  await publish(store, titleId, 'e1');
  return { titleId, ...pkg };
};

const untilMillisecondOfSecond = async (ms: number) => {
  const wait = (1000 + ms - (Date.now() % 1000)) % 1000 || 1000;
  await new Promise((resolve) => setTimeout(resolve, wait));
};

const viewerBytes = new Map<string, number>();
/** At 150 ms into the next second, a viewer (region eu) fetches four segments, and one above its cap is refused. */
const burst = async (edge: EdgeProcess, titleId: string) => {
  await untilMillisecondOfSecond(150);
  const second = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  let bytes = 0;
  for (let n = 1; n <= 4; n++) {
    const response = await fetch(viewerUrl(edge.url, titleId, segmentName('v720', n), { region: 'eu' }));
    expect(response.headers.get('x-cache')).toBe('hit');
    bytes += (await response.arrayBuffer()).byteLength;
  }
  const refused = await fetch(viewerUrl(edge.url, titleId, segmentName('v720', 5), { region: 'eu', maxHeight: 360 }));
  expect(refused.status).toBe(403);
  await refused.arrayBuffer();
  // Well inside its second: the edge counted every byte into the same interval.
  expect(Date.now() % 1000).toBeLessThan(950);
  viewerBytes.set(second, (viewerBytes.get(second) ?? 0) + bytes);
  return second;
};

const viewerHitBytes = (report: Report, titleId: string) =>
  report.rows
    .filter((row) => row.titleId === titleId && row.client === 'viewer' && row.status === 'hit')
    .reduce((sum, row) => sum + row.bytes, 0);

describe('serving telemetry', () => {
  it('reports every interval once, with the bytes the viewer received, through a SIGKILL and a restart on the same disk', async () => {
    const edgeId = `edge-${Math.random().toString(36).slice(2, 8)}`;
    const { titleId, index } = await newTitle();
    const edge = await startEdge(edgeId);
    await filled(edge, titleId, undefined, 30_000);

    for (let i = 0; i < 3; i++) await burst(edge, titleId);
    const killedIn = await burst(edge, titleId);
    // The interval before is closed and spooled by now; the one of this burst is in flight.
    await untilMillisecondOfSecond(600);
    await edge.kill();

    // What a node killed mid-report leaves in its spool: an interval already appended (killed
    // before the file was removed), and one not appended yet (killed before the append).
    const spool = join(dir, 'edges', edgeId, '.serving-spool');
    const appended = (await reportsOf(edgeId)).at(-1) as Report;
    const waiting = {
      ...appended,
      intervalStart: '2026-01-01T00:00:00.000Z',
      rows: [{ ...appended.rows[0], titleId: 'planted' }],
    };
    for (const report of [appended, waiting])
      await writeFile(join(spool, `interval-${Date.parse(report.intervalStart)}.json`), JSON.stringify(report));

    const restarted = await startEdge(edgeId, { EDGE_PORT: new URL(edge.url).port });
    const after: string[] = [];
    for (let i = 0; i < 3; i++) after.push(await burst(restarted, titleId));
    const last = after.at(-1) as string;
    await eventually(
      async () => (await reportsOf(edgeId)).some((report) => report.intervalStart === last) || undefined,
      10_000,
      'the last interval to be reported',
    );

    const reports = await reportsOf(edgeId);
    const starts = reports.map((report) => report.intervalStart);
    expect(new Set(starts).size).toBe(starts.length);
    expect(reports.filter((report) => report.rows.some((row) => row.titleId === 'planted'))).toHaveLength(1);
    const reported = new Map(reports.map((report) => [report.intervalStart, viewerHitBytes(report, titleId)]));
    const lost = [...viewerBytes].filter(([second]) => !reported.has(second));
    expect(lost.map(([second]) => second).filter((second) => second !== killedIn)).toEqual([]);
    for (const [second, bytes] of viewerBytes) if (reported.has(second)) expect(reported.get(second)).toBe(bytes);
    // Nothing but the viewer's bursts was served, so no interval holds bytes it did not receive.
    expect([...reported.values()].reduce((a, b) => a + b, 0)).toBe(
      [...viewerBytes].filter(([second]) => reported.has(second)).reduce((sum, [, bytes]) => sum + bytes, 0),
    );

    const sample = reports.find((report) => report.intervalStart === last);
    expect(sample).toMatchObject({ nodeId: edgeId, role: 'edge', region: 'eu', intervalSeconds: 1 });
    expect(sample?.rows).toEqual(
      expect.arrayContaining([
        { titleId, encodingId: 'e1', rung: 720, status: 'hit', client: 'viewer', requests: 4, bytes: 80_000 },
        { titleId, encodingId: 'e1', rung: 720, status: 'refused', client: 'viewer', requests: 1, bytes: 0 },
      ]),
    );
    expect(sample?.sessions).toEqual([
      { sessionId: 'session-1', titleId, encodingId: 'e1', region: 'eu', requests: 5, hitBytes: 80_000, missBytes: 0 },
    ]);

    const status = await edgeStatus(restarted);
    expect(status.telemetry).toMatchObject({ intervalSeconds: 1, pendingIntervals: 0 });
    expect(Date.parse(status.telemetry.lastReportedAt)).toBeGreaterThan(Date.parse(last));
    const metrics = await (await fetch(`${restarted.url}/metrics`)).text();
    expect(metrics).toMatch(/edge_serving_intervals_reported_total [1-9]/);
    expect(await readdir(join(dir, 'edges', edgeId, '.serving-spool'))).toEqual(['last-reported.json']);

    // The origin reports too: the edge's fill of the title, as another node's requests.
    const fromOrigin = await reportsOf('origin');
    expect(fromOrigin[0]).toMatchObject({ nodeId: 'origin', role: 'origin', region: null });
    const fillRows = fromOrigin.flatMap((report) =>
      report.rows.filter((row) => row.titleId === titleId && row.client === 'edge'),
    );
    expect(fillRows.every((row) => row.status === 'hit')).toBe(true);
    expect(fillRows.reduce((sum, row) => sum + row.bytes, 0)).toBeGreaterThanOrEqual(index.totalBytes);
    expect(fromOrigin.flatMap((report) => report.sessions)).toEqual([]);
  }, 120_000);

  it('behind nginx, reports the hits nginx sent itself, with their session and region', async () => {
    const edgeId = `edge-nginx-${Math.random().toString(36).slice(2, 8)}`;
    const { titleId } = await newTitle();
    const edge = await startEdge(edgeId, { EDGE_SERVE_WITH: 'nginx' });
    await filled(edge, titleId, undefined, 30_000);
    let received = 0;
    for (let n = 1; n <= 6; n++) {
      const response = await fetch(viewerUrl(edge.url, titleId, segmentName('v360', n), { region: 'eu-north' }));
      expect(response.headers.get('x-cache')).toBe('hit');
      received += (await response.arrayBuffer()).byteLength;
    }
    const hits = await eventually(
      async () => {
        const reports = await reportsOf(edgeId);
        const rows = reports.flatMap((report) => report.rows).filter((row) => row.titleId === titleId);
        const bytes = rows.filter((row) => row.status === 'hit').reduce((sum, row) => sum + row.bytes, 0);
        return bytes >= received ? { reports, rows, bytes } : undefined;
      },
      15_000,
      "nginx's hits to be reported",
    );
    expect(hits.bytes).toBe(received);
    expect(hits.rows.every((row) => row.rung === 360 && row.client === 'viewer')).toBe(true);
    const sessions = hits.reports.flatMap((report) => report.sessions);
    expect(sessions.every((session) => session.region === 'eu-north' && session.sessionId === 'session-1')).toBe(true);
    expect(sessions.reduce((sum, session) => sum + session.hitBytes, 0)).toBe(received);
  }, 90_000);
});
