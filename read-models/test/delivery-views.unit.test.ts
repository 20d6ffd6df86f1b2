import type { MarqueeEvent } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import {
  type AnyProjection,
  createPopularityFromDocs,
  type OriginEgress,
  originEgress,
  type ProjectedEvent,
  type SessionDelivery,
  sessionDelivery,
  summarizeDelivery,
  type TitlePopularity,
  titlePopularity,
} from '../src';

/** Folds events through one projection, by document id, as the runner does. */
const fold = <Doc>(projection: AnyProjection, events: MarqueeEvent[]) => {
  const docs = new Map<string, Doc>();
  events.forEach((event, i) => {
    const projected = { ...event, position: i + 1, streamName: 'x-1', recordedAt: new Date() } as ProjectedEvent;
    const key = projection.key(projected);
    for (const id of key === null ? [] : typeof key === 'string' ? [key] : key) {
      const next = projection.evolve(docs.get(id), projected, id) as Doc | null;
      if (next === null) docs.delete(id);
      else docs.set(id, next);
    }
  });
  return docs;
};

const started = (
  sessionId: string,
  options: {
    titleId?: string;
    region: string | null;
    edges: string[];
    holders?: { edgeId: string; region: string; healthy: boolean }[];
    at?: string;
  },
): MarqueeEvent => ({
  type: 'PlaybackStarted',
  data: {
    sessionId,
    accountId: 'a1',
    profileId: 'p1',
    titleId: options.titleId ?? 't1',
    encodingId: 'e1',
    manifestPath: 't1/e1/manifest.mpd',
    durationSeconds: 600,
    maxHeight: 720,
    edges: options.edges,
    ...(options.holders && { holders: options.holders }),
    region: options.region,
    resumeFromSeconds: 0,
    at: options.at ?? '2026-11-20T10:00:00.000Z',
  },
});

const served = (
  nodeId: string,
  intervalStart: string,
  sessions: { sessionId: string; titleId?: string; region?: string | null; hitBytes: number; missBytes: number }[],
  rows: { titleId: string; client: 'viewer' | 'edge'; bytes: number }[] = [],
  overflowBytes = 0,
): MarqueeEvent => ({
  type: 'ServingReported',
  data: {
    nodeId,
    role: nodeId === 'origin' ? 'origin' : 'edge',
    region: nodeId === 'origin' ? null : 'eu',
    intervalStart,
    intervalSeconds: 10,
    rows: rows.map((row) => ({ ...row, encodingId: 'e1', rung: 720, status: 'hit', requests: 1 })),
    sessions: sessions.map((s) => ({
      titleId: 't1',
      region: 'eu',
      ...s,
      encodingId: 'e1',
      requests: 1,
    })),
    overflow: { rows: 0, sessions: 0, requests: 0, bytes: overflowBytes },
    at: intervalStart,
  },
});

const euHolder = (healthy: boolean) => ({ edgeId: 'eu-1', region: 'eu', healthy });

describe('session delivery', () => {
  it("joins a session's start class with the bytes each node served it, by hour", () => {
    const docs = fold<SessionDelivery>(sessionDelivery, [
      // eu-1 holds the title but is down: steering offered the origin only.
      started('s1', { region: 'eu', edges: [], holders: [euHolder(false)] }),
      served('origin', '2026-11-20T10:00:00.000Z', [{ sessionId: 's1', hitBytes: 700, missBytes: 0 }]),
      served('origin', '2026-11-20T11:00:10.000Z', [{ sessionId: 's1', hitBytes: 300, missBytes: 0 }]),
    ]);
    const s1 = docs.get('s1');
    expect(s1).toMatchObject({
      startClass: 'health',
      classified: true,
      originBytes: 1000,
      edgeHitBytes: 0,
      missBytes: { content: 0, health: 1000, steering: 0 },
      days: ['2026-11-20'],
    });
    expect(s1?.hours['2026-11-20T11:00:00.000Z']).toEqual({ edgeHitBytes: 0, edgePulledBytes: 0, originBytes: 300 });
  });
  it('folds only its own part of a report naming several sessions, and counts pull-through as content', () => {
    const docs = fold<SessionDelivery>(sessionDelivery, [
      started('s1', { region: 'eu', edges: ['eu-1'], holders: [euHolder(true)] }),
      started('s2', { region: 'eu', edges: ['eu-1'], holders: [euHolder(true)] }),
      served('eu-1', '2026-11-20T10:00:00.000Z', [
        { sessionId: 's1', hitBytes: 900, missBytes: 100 },
        { sessionId: 's2', hitBytes: 50, missBytes: 0 },
      ]),
    ]);
    expect(docs.get('s1')).toMatchObject({ startClass: null, edgeHitBytes: 900, edgePulledBytes: 100 });
    expect(docs.get('s1')?.missBytes).toEqual({ content: 100, health: 0, steering: 0 });
    expect(docs.get('s2')).toMatchObject({ edgeHitBytes: 50, edgePulledBytes: 0 });
  });
  it('gives the same document whether telemetry or the start is folded first', () => {
    const start = started('s1', { region: 'eu', edges: ['us-1'], holders: [euHolder(true)] });
    const bytes = served('origin', '2026-11-20T10:00:00.000Z', [{ sessionId: 's1', hitBytes: 500, missBytes: 0 }]);
    const inOrder = fold<SessionDelivery>(sessionDelivery, [start, bytes]).get('s1');
    expect(inOrder?.missBytes).toEqual({ content: 0, health: 0, steering: 500 });
    expect(fold<SessionDelivery>(sessionDelivery, [bytes, start]).get('s1')).toEqual(inOrder);
  });
  it('leaves a start that recorded no holders unclassified', () => {
    const docs = fold<SessionDelivery>(sessionDelivery, [
      started('s1', { region: 'eu', edges: [] }),
      served('origin', '2026-11-20T10:00:00.000Z', [{ sessionId: 's1', hitBytes: 500, missBytes: 0 }]),
    ]);
    expect(docs.get('s1')).toMatchObject({ classified: false, originBytes: 500 });
    expect(docs.get('s1')?.missBytes).toEqual({ content: 0, health: 0, steering: 0 });
  });
});

describe('delivery figures over a window', () => {
  const events = [
    started('local', { region: 'eu', edges: ['eu-1'], holders: [euHolder(true)] }),
    started('dead', { region: 'eu', edges: [], holders: [euHolder(false)], at: '2026-11-20T10:30:00.000Z' }),
    started('none', { titleId: 't2', region: 'us', edges: [], holders: [] }),
    started('early', { region: 'eu', edges: ['eu-1'], holders: [euHolder(true)], at: '2026-11-19T10:00:00.000Z' }),
    served('eu-1', '2026-11-20T10:00:00.000Z', [{ sessionId: 'local', hitBytes: 600, missBytes: 0 }]),
    served(
      'origin',
      '2026-11-20T10:40:00.000Z',
      [
        { sessionId: 'dead', hitBytes: 200, missBytes: 0 },
        { sessionId: 'none', titleId: 't2', region: 'us', hitBytes: 200, missBytes: 0 },
      ],
      [
        { titleId: 't1', client: 'viewer', bytes: 200 },
        { titleId: 't2', client: 'viewer', bytes: 200 },
        { titleId: 't2', client: 'edge', bytes: 5000 },
      ],
      7,
    ),
    served('eu-1', '2026-11-19T10:00:00.000Z', [{ sessionId: 'early', hitBytes: 1_000_000, missBytes: 0 }]),
  ];
  const sessions = [...fold<SessionDelivery>(sessionDelivery, events).values()];
  const egress = [...fold<OriginEgress>(originEgress, events).values()];
  const window = { fromMs: Date.parse('2026-11-20T00:00:00.000Z'), untilMs: Date.parse('2026-11-21T00:00:00.000Z') };

  it('counts the plays started and bytes served in the window, misses by class, and the exact offload ratio', () => {
    const summary = summarizeDelivery({ sessions, egress, window });
    expect(summary.bucket).toBe('hour');
    expect(summary.totals).toEqual({
      edgeBytes: 600,
      originBytes: 400,
      offloadRatio: 0.6,
      plays: 3,
      missPlays: { content: 1, health: 1, steering: 0 },
      missBytes: { content: 200, health: 200, steering: 0 },
      // Every origin byte: to viewers, to an edge filling, and past the row cap.
      originEgressBytes: 5407,
    });
    expect(summary.byRegion.map((r) => [r.region, r.plays, r.offloadRatio])).toEqual([
      ['eu', 2, 0.75],
      ['us', 1, 0],
    ]);
    expect(summary.byTitle.map((t) => [t.titleId, t.originBytes])).toEqual([
      ['t1', 200],
      ['t2', 200],
    ]);
    expect(summary.series).toHaveLength(24);
    expect(summary.series[10]).toMatchObject({ at: '2026-11-20T10:00:00.000Z', plays: 3, edgeBytes: 600 });
  });
  it('narrows to a region and a title', () => {
    const us = summarizeDelivery({ sessions, egress, window, region: 'us' });
    expect(us.totals).toMatchObject({ plays: 1, originBytes: 200, missPlays: { content: 1, health: 0, steering: 0 } });
    const t2 = summarizeDelivery({ sessions, egress, window, titleId: 't2' });
    expect(t2.totals).toMatchObject({ plays: 1, originEgressBytes: 5200 });
  });
  it('has no offload ratio where nothing was served, and buckets a week by day', () => {
    const week = { fromMs: Date.parse('2026-11-01T00:00:00.000Z'), untilMs: Date.parse('2026-11-08T00:00:00.000Z') };
    const summary = summarizeDelivery({ sessions, egress, window: week });
    expect(summary.bucket).toBe('day');
    expect(summary.series).toHaveLength(7);
    expect(summary.totals).toMatchObject({ plays: 0, offloadRatio: null, originEgressBytes: 0 });
  });
});

describe('title popularity', () => {
  const hour = 3_600_000;
  const t0 = Date.parse('2026-11-20T00:00:00.000Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  const published = (titleId: string, atMs: number): MarqueeEvent => ({
    type: 'TitlePublished',
    data: { titleId, encodingId: 'e1', manifestPath: `${titleId}/e1/manifest.mpd`, at: iso(atMs) },
  });

  it('ranks as the domain model does: plays in the region, plays of no region, the new-release prior, decayed', () => {
    const docs = fold<TitlePopularity>(titlePopularity, [
      published('old', t0),
      published('new', t0 + 144 * hour),
      ...[1, 2, 3, 4].map((i) =>
        started(`eu${i}`, { titleId: 'old', region: 'eu', edges: [], at: iso(t0 + i * hour) }),
      ),
      started('any', { titleId: 'old', region: null, edges: [], at: iso(t0 + hour) }),
      started('us', { titleId: 'new', region: 'us', edges: [], at: iso(t0 + 144 * hour) }),
    ]);
    const popularity = createPopularityFromDocs(docs.values());
    const at = t0 + 144 * hour;
    const eu = popularity.ranked('eu', at);
    // Old: 5 plays and a prior of 3, two half-lives back (a little less for the later plays); new: its prior.
    expect(eu.map((r) => r.titleId)).toEqual(['new', 'old']);
    expect(eu[0]?.score).toBeCloseTo(3, 6);
    const plays = [1, 2, 3, 4, 1].reduce((sum, h) => sum + 2 ** (h / 72), 0);
    expect(eu[1]?.score).toBeCloseTo((3 + plays) / 4, 6);
    expect(popularity.ranked('us', at)[0]).toEqual({ titleId: 'new', score: 4 });
  });
  it('keeps a withdrawn title out of the ranking, with its plays, should it come back', () => {
    const unpublished: MarqueeEvent = {
      type: 'TitleUnpublished',
      data: { titleId: 'old', encodingId: 'e1', at: iso(t0 + hour) },
    };
    const docs = fold<TitlePopularity>(titlePopularity, [
      published('old', t0),
      started('eu', { titleId: 'old', region: 'eu', edges: [], at: iso(t0) }),
      unpublished,
    ]);
    expect(docs.get('old')).toMatchObject({ published: false, plays: { eu: { value: 1, atMs: t0 } } });
    expect(createPopularityFromDocs(docs.values()).ranked('eu', t0)).toEqual([]);
  });
});
