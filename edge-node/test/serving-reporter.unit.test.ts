import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type EventStore, type EventToAppend } from '@marquee/platform';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servingEventId, startServingReporter } from '../src/serving-reporter';
import { openServingSpool, type ServingReport } from '../src/serving-spool';
import type { ServedRequest } from '../src/serving-tally';

/*
 * The reporter on a clock the test turns, a spool in a temporary folder and a log that keeps
 * events by id as every adapter does (an id seen before is not written again), and can be down.
 */

const t0 = Date.parse('2026-03-01T10:00:00.000Z');
const served = (bytes: number, overrides: Partial<ServedRequest> = {}): ServedRequest => ({
  titleId: 't1',
  encodingId: 'e1',
  file: 'segment-v720-00001.m4s',
  status: 'hit',
  client: 'viewer',
  sessionId: 's1',
  region: 'eu',
  bytes,
  ...overrides,
});

const fakeLog = () => {
  const events = new Map<string, EventToAppend & { stream: string }>();
  const log = {
    down: false,
    appends: 0,
    events,
    reports: () => [...events.values()].map((event) => event.data as ServingReport),
    appendToStream: async (stream: string, toAppend: EventToAppend[]) => {
      log.appends += 1;
      if (log.down) throw new Error('event store unavailable');
      for (const event of toAppend) if (!events.has(event.id)) events.set(event.id, { ...event, stream });
      return { nextExpectedRevision: events.size - 1, position: events.size };
    },
  } satisfies Pick<EventStore, 'appendToStream'> & Record<string, unknown>;
  return log;
};

let dir: string;
let clock: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-serving-'));
  clock = t0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const start = async (log: ReturnType<typeof fakeLog>, options: { graceMs?: number } = {}) =>
  startServingReporter({
    node: { nodeId: 'edge-7', role: 'edge', region: 'eu' },
    eventStore: log,
    spool: await openServingSpool(join(dir, 'spool')),
    intervalSeconds: 10,
    backoff: { firstMs: 1000, maxMs: 8000 },
    logger: createLogger('test', 'silent'),
    now: () => new Date(clock),
    ...options,
  });

describe('reporting serving telemetry', () => {
  it('reports each interval once, when it closes, aligned to the clock, and nothing for an empty one', async () => {
    const log = fakeLog();
    const reporter = await start(log);
    clock = t0 + 3000;
    reporter.record(served(100));
    reporter.record(served(50));
    await reporter.tick();
    expect(log.reports()).toEqual([]);
    clock = t0 + 10_000;
    await reporter.tick();
    clock = t0 + 25_000;
    await reporter.tick();
    clock = t0 + 31_000;
    reporter.record(served(7));
    clock = t0 + 40_000;
    await reporter.tick();
    await reporter.tick();

    const reports = log.reports();
    expect(reports.map((report) => report.intervalStart)).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-01T10:00:30.000Z',
    ]);
    expect(reports[0]).toMatchObject({
      nodeId: 'edge-7',
      role: 'edge',
      region: 'eu',
      intervalSeconds: 10,
      rows: [{ titleId: 't1', rung: 720, status: 'hit', client: 'viewer', requests: 2, bytes: 150 }],
      sessions: [{ sessionId: 's1', region: 'eu', requests: 2, hitBytes: 150, missBytes: 0 }],
      overflow: { rows: 0, sessions: 0, requests: 0, bytes: 0 },
    });
    const [first] = log.events.values();
    expect(first).toMatchObject({ stream: 'serving-edge-7', type: 'ServingReported' });
    expect(first?.id).toBe(servingEventId('edge-7', '2026-03-01T10:00:00.000Z'));
    expect(reporter.status()).toEqual({
      intervalSeconds: 10,
      lastReportedAt: new Date(t0 + 40_000).toISOString(),
      pendingIntervals: 0,
    });
    expect(await readdir(join(dir, 'spool'))).toEqual(['last-reported.json']);
  });

  it('keeps closed intervals on disk while the log is down, retries with backoff, and reports them in order', async () => {
    const log = fakeLog();
    const reporter = await start(log);
    log.down = true;
    for (let i = 0; i < 3; i++) {
      clock = t0 + i * 10_000 + 1;
      reporter.record(served(i + 1));
    }
    clock = t0 + 30_000;
    await reporter.tick();
    expect(reporter.status().pendingIntervals).toBe(3);
    expect(log.appends).toBe(1);
    // Backoff: 1 s, then 2 s; ticks in between do not knock.
    clock += 500;
    await reporter.tick();
    expect(log.appends).toBe(1);
    clock += 500;
    await reporter.tick();
    expect(log.appends).toBe(2);
    clock += 1000;
    await reporter.tick();
    expect(log.appends).toBe(2);
    log.down = false;
    clock += 1000;
    await reporter.tick();
    expect(log.reports().map((report) => report.rows[0]?.bytes)).toEqual([1, 2, 3]);
    expect(reporter.status().pendingIntervals).toBe(0);
  });

  it('appends at start what a killed node had spooled, once, and never reuses an interval already reported', async () => {
    const log = fakeLog();
    const first = await start(log);
    log.down = true;
    clock = t0 + 1000;
    first.record(served(11));
    clock = t0 + 10_000;
    await first.tick();
    expect(first.status().pendingIntervals).toBe(1);
    // Killed here: the spooled interval is all that is left of it.
    log.down = false;
    const second = await start(log);
    expect(second.status().pendingIntervals).toBe(1);
    await second.tick();
    expect(log.reports().map((report) => report.rows[0]?.bytes)).toEqual([11]);

    // Stopped gracefully mid-interval, restarted within that same interval.
    clock = t0 + 12_000;
    second.record(served(22));
    await second.close();
    const third = await start(log);
    clock = t0 + 15_000;
    third.record(served(33));
    clock = t0 + 30_000;
    await third.tick();
    const reports = log.reports();
    expect(reports.map((report) => [report.intervalStart, report.rows[0]?.bytes])).toEqual([
      ['2026-03-01T10:00:00.000Z', 11],
      ['2026-03-01T10:00:10.000Z', 22],
      ['2026-03-01T10:00:20.000Z', 33],
    ]);
  });

  it('counts a late request (read from nginx’s log) into its own interval while the grace lasts, else into the next', async () => {
    const log = fakeLog();
    const reporter = await start(log, { graceMs: 2500 });
    clock = t0 + 11_000;
    reporter.record(served(5), new Date(t0 + 9000));
    await reporter.tick();
    expect(log.reports()).toEqual([]);
    clock = t0 + 12_500;
    await reporter.tick();
    reporter.record(served(6), new Date(t0 + 9500));
    clock = t0 + 22_500;
    await reporter.tick();
    expect(log.reports().map((report) => [report.intervalStart, report.rows[0]?.bytes])).toEqual([
      ['2026-03-01T10:00:00.000Z', 5],
      ['2026-03-01T10:00:10.000Z', 6],
    ]);
  });

  it('sets aside a spooled file it cannot read, and reports the intervals after it', async () => {
    const spool = join(dir, 'spool');
    await mkdir(spool, { recursive: true });
    await writeFile(join(spool, `interval-${t0 - 20_000}.json`), '{"nodeId":');
    await writeFile(join(spool, `interval-${t0 - 10_000}.json.0b5c.part`), '{');
    const log = fakeLog();
    const reporter = await start(log);
    expect(reporter.status().pendingIntervals).toBe(1);
    clock = t0 + 1;
    reporter.record(served(9));
    clock = t0 + 10_000;
    await reporter.tick();
    expect(log.reports().map((report) => report.rows[0]?.bytes)).toEqual([9]);
    expect((await readdir(spool)).sort()).toEqual([`interval-${t0 - 20_000}.json.rejected`, 'last-reported.json']);
  });
});
