import { type MarqueeEvent, streamName } from '@marquee/domain';
import { deterministicId, toEventsToAppend } from '@marquee/platform';
import { describe, expect, it } from 'vitest';
import { estimateSessionBytes } from '../src/simulate/session-bytes';
import { simulateFill } from '../src/simulate/simulate-fill';
import { writeDemandLog } from '../src/testing';
import { createMemoryLog } from './memory-log';

const GB = 1_000_000_000;
const sessionBytes = 100_000_000;
const hour = 3_600_000;
const t0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ladder = [360, 720, 1080].map((height) => ({ width: (height * 16) / 9, height, videoBitrateKbps: height * 4 }));

/** Hand-made demand: edges, titles and plays, each play with the health steering saw and what its node reported. */
const scenario = () => {
  const log = createMemoryLog();
  let sessions = 0;
  const append = (stream: string, events: MarqueeEvent[], id?: string) => {
    const toAppend = toEventsToAppend(stream, events);
    if (id && toAppend[0]) toAppend[0].id = id;
    return log.appendToStream(stream, toAppend);
  };
  return {
    log,
    edge: (edgeId: string, region: string) =>
      append(streamName('edge', edgeId), [
        {
          type: 'EdgeRegistered',
          data: {
            edgeId,
            region,
            url: 'http://127.0.0.1:8101',
            capacityBytes: 1000 * GB,
            upstream: 'http://127.0.0.1:8100',
            at: iso(t0),
          },
        },
      ]),
    title: (titleId: string, bytes: number) =>
      append(streamName('title', titleId), [
        {
          type: 'EncodingSucceeded',
          data: {
            titleId,
            encodingId: `${titleId}-enc`,
            ladder,
            manifestPath: 'm.mpd',
            packageIndex: { files: 10, bytes, sha256: '0'.repeat(64) },
            durationSeconds: 3600,
            encodeSeconds: 60,
            at: iso(t0),
          },
        },
        { type: 'TitlePublished', data: { titleId, encodingId: `${titleId}-enc`, manifestPath: 'm.mpd', at: iso(t0) } },
      ]),
    /** A play in `region` at `hours` after the start; `holders` as steering recorded them. */
    play: async (
      titleId: string,
      region: string,
      hours: number,
      holders: { edgeId: string; region: string; healthy: boolean }[] = [],
      telemetry = true,
    ) => {
      const sessionId = `s${sessions++}`;
      const atMs = t0 + hours * hour;
      const ref = { sessionId, accountId: 'a', profileId: 'p', titleId };
      await append(streamName('playback', sessionId), [
        {
          type: 'PlaybackStarted',
          data: {
            ...ref,
            encodingId: `${titleId}-enc`,
            manifestPath: 'm.mpd',
            durationSeconds: 3600,
            maxHeight: 720,
            edges: holders.filter((h) => h.healthy).map((h) => h.edgeId),
            holders,
            region,
            resumeFromSeconds: 0,
            at: iso(atMs),
          },
        },
        { type: 'PlaybackStopped', data: { ...ref, positionSeconds: 100, at: iso(atMs + 100_000) } },
      ]);
      if (!telemetry) return;
      const nodeId = holders.find((h) => h.healthy)?.edgeId ?? 'origin';
      const intervalStart = iso(atMs + 100_000);
      await append(
        streamName('serving', nodeId),
        [
          {
            type: 'ServingReported',
            data: {
              nodeId,
              role: nodeId === 'origin' ? 'origin' : 'edge',
              region: nodeId === 'origin' ? null : region,
              intervalStart,
              intervalSeconds: 10,
              rows: [],
              sessions: [
                {
                  sessionId,
                  titleId,
                  encodingId: `${titleId}-enc`,
                  region,
                  requests: 50,
                  hitBytes: sessionBytes,
                  missBytes: 0,
                },
              ],
              overflow: { rows: 0, sessions: 0, requests: 0, bytes: 0 },
              at: iso(atMs + 110_000),
            },
          },
        ],
        deterministicId(['serving', nodeId, intervalStart]),
      );
    },
  };
};

describe('simulateFill', () => {
  it('keeps a favourite under popularity where LRU lets one-off misses push it out', async () => {
    const demand = scenario();
    await demand.edge('eu-1', 'eu');
    // One favourite and five titles watched once each; the edge holds one title.
    await demand.title('title-fav', GB);
    for (let n = 1; n <= 5; n++) await demand.title(`title-x${n}`, GB);
    let hours = 1;
    for (let n = 1; n <= 5; n++) {
      await demand.play('title-fav', 'eu', hours++);
      await demand.play(`title-x${n}`, 'eu', hours++);
    }
    await demand.play('title-fav', 'eu', hours++);

    const lru = await simulateFill(demand.log, { policy: 'lru', capacityBytes: GB });
    const popularity = await simulateFill(demand.log, { policy: 'popularity', capacityBytes: GB });
    // LRU: every play misses, each miss fills and evicts the title the next play wants.
    expect(lru.totals).toMatchObject({ plays: 11, edgeBytes: 0, fills: 11, evictions: 10 });
    expect(lru.totals.missPlays).toEqual({ content: 11, health: 0, steering: 0 });
    expect(lru.totals.offloadRatio).toBe(0);
    // Popularity: the favourite is filled ahead and never evicted for a title watched less.
    expect(popularity.totals).toMatchObject({ plays: 11, edgeBytes: 6 * sessionBytes, fills: 1, evictions: 0 });
    expect(popularity.totals.missPlays).toEqual({ content: 5, health: 0, steering: 0 });
    expect(popularity.totals.missBytes.content).toBe(5 * sessionBytes);
    expect(popularity.totals.offloadRatio).toBeCloseTo(6 / 11);
    expect(popularity.totals.originEgressBytes).toBe(5 * sessionBytes + GB);
  });

  it('counts the plays steered away from an edge recorded down as health misses', async () => {
    const demand = scenario();
    await demand.edge('eu-1', 'eu');
    await demand.title('title-a', GB);
    const up = [{ edgeId: 'eu-1', region: 'eu', healthy: true }];
    const down = [{ edgeId: 'eu-1', region: 'eu', healthy: false }];
    await demand.play('title-a', 'eu', 1, up);
    await demand.play('title-a', 'eu', 2, down);
    await demand.play('title-a', 'eu', 3, down);
    await demand.play('title-a', 'eu', 4, up);

    const result = await simulateFill(demand.log, { policy: 'fill-all' });
    expect(result.totals.missPlays).toEqual({ content: 0, health: 2, steering: 0 });
    expect(result.totals.missBytes).toEqual({ content: 0, health: 2 * sessionBytes, steering: 0 });
    expect(result.totals).toMatchObject({
      edgeBytes: 2 * sessionBytes,
      originBytes: 2 * sessionBytes,
      offloadRatio: 0.5,
    });
  });

  it('counts the plays of a title no edge could fill as content misses, and the window and region', async () => {
    const demand = scenario();
    await demand.edge('eu-1', 'eu');
    await demand.edge('us-1', 'us');
    await demand.title('title-small', GB);
    await demand.title('title-huge', 3 * GB);
    await demand.play('title-huge', 'eu', 1);
    await demand.play('title-small', 'eu', 2);
    await demand.play('title-huge', 'us', 3);
    await demand.play('title-huge', 'eu', 30);

    const result = await simulateFill(demand.log, { policy: 'fill-all', capacityBytes: 2 * GB });
    expect(result.totals.missPlays).toEqual({ content: 3, health: 0, steering: 0 });
    expect(result.totals.missBytes.content).toBe(3 * sessionBytes);
    expect(result.totals.fillBytes).toBe(2 * GB);
    expect(result.byRegion.map((r) => [r.region, r.plays, r.missPlays.content])).toEqual([
      ['eu', 3, 2],
      ['us', 1, 1],
    ]);
    const euFirstDay = await simulateFill(demand.log, {
      policy: 'fill-all',
      capacityBytes: 2 * GB,
      region: 'eu',
      until: new Date(t0 + 24 * hour),
    });
    expect(euFirstDay.totals).toMatchObject({ plays: 2, edgeBytes: sessionBytes, originBytes: sessionBytes });
  });

  it('estimates a session no node reported from the time it watched and the tallest rung it may play', async () => {
    const demand = scenario();
    await demand.edge('eu-1', 'eu');
    await demand.title('title-a', GB);
    await demand.play('title-a', 'eu', 1, [{ edgeId: 'eu-1', region: 'eu', healthy: true }], false);
    const result = await simulateFill(demand.log, { policy: 'fill-all' });
    // 100 s at the 720p rung (2880 kb/s) and 128 kb/s of audio.
    const expected = ((2_880_000 + 128_000) / 8) * 100;
    expect(expected).toBe(estimateSessionBytes({ ladder, maxHeight: 720, watchedSeconds: 100 }));
    expect(result).toMatchObject({ sessions: 1, estimatedSessions: 1 });
    expect(result.totals.edgeBytes).toBe(expected);
  });

  it("times an edge's fills by what it downloaded, not by the files a revision took from its own disk", async () => {
    const demand = scenario();
    await demand.edge('eu-1', 'eu');
    // The edge recorded a revision fill: 10 GB whole, 1 GB of it downloaded in 1000 s (1 MB/s).
    await demand.log.appendToStream(
      streamName('edge', 'eu-1'),
      toEventsToAppend(streamName('edge', 'eu-1'), [
        {
          type: 'EdgeFillCompleted',
          data: {
            edgeId: 'eu-1',
            titleId: 'title-old',
            encodingId: 'title-old-r2',
            bytes: 10 * GB,
            seconds: 1000,
            downloadedBytes: GB,
            reusedBytes: 9 * GB,
            at: iso(t0),
          },
        },
      ]),
    );
    await demand.title('title-a', GB);
    const up = [{ edgeId: 'eu-1', region: 'eu', healthy: true }];
    // 1 GB at 1 MB/s lands after 1000 s: a play at 500 s is not served from the edge yet, one at 1500 s is.
    await demand.play('title-a', 'eu', 500 / 3600, up);
    await demand.play('title-a', 'eu', 1500 / 3600, up);
    const result = await simulateFill(demand.log, { policy: 'fill-all' });
    expect(result.totals).toMatchObject({ plays: 2, edgeBytes: sessionBytes, originBytes: sessionBytes });
  });

  it('gives the same figures for the same log and options', async () => {
    const log = createMemoryLog();
    await writeDemandLog(log, { plays: 1500, titles: 40, seed: 3 });
    for (const policy of ['fill-all', 'lru', 'popularity'] as const) {
      const first = await simulateFill(log, { policy, capacityBytes: 10 * GB });
      const second = await simulateFill(log, { policy, capacityBytes: 10 * GB });
      expect(second).toEqual(first);
      expect(first.sessions).toBe(1500);
      expect(first.estimatedSessions).toBe(0);
    }
  });
});
