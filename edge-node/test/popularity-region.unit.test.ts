import type { MarqueeEvent } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { createRegionalDemand } from '../src/popularity-region';

const model = { halfLifeHours: 72, newReleasePlays: 3 };
const day = '2026-06-01T';
const encoded = (titleId: string, encodingId: string, bytes: number): MarqueeEvent =>
  ({
    type: 'EncodingSucceeded',
    data: {
      titleId,
      encodingId,
      ladder: [{ width: 640, height: 360, videoBitrateKbps: 800 }],
      manifestPath: `${titleId}/${encodingId}/manifest.mpd`,
      packageIndex: { files: 3, bytes, sha256: 'a'.repeat(64) },
      durationSeconds: 10,
      encodeSeconds: 1,
      at: `${day}00:00:00Z`,
    },
  }) as MarqueeEvent;
const published = (titleId: string, encodingId = 'e1'): MarqueeEvent => ({
  type: 'TitlePublished',
  data: { titleId, encodingId, manifestPath: `${titleId}/${encodingId}/manifest.mpd`, at: `${day}00:00:00Z` },
});
const unpublished = (titleId: string, encodingId = 'e1'): MarqueeEvent => ({
  type: 'TitleUnpublished',
  data: { titleId, encodingId, at: `${day}01:00:00Z` },
});
const played = (titleId: string, region: string | null, n = 1): MarqueeEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'PlaybackStarted',
    data: {
      sessionId: `s-${titleId}-${region}-${i}`,
      accountId: 'a1',
      profileId: 'p1',
      titleId,
      encodingId: 'e1',
      manifestPath: `${titleId}/e1/manifest.mpd`,
      durationSeconds: 10,
      maxHeight: 720,
      edges: [],
      region,
      resumeFromSeconds: 0,
      at: `${day}02:00:00Z`,
    },
  }));
const noon = Date.parse(`${day}12:00:00Z`);

const catalog = () => {
  const demand = createRegionalDemand('eu', model);
  for (const event of [encoded('a', 'e1', 100), encoded('b', 'e1', 200), published('a'), published('b')])
    demand.apply(event);
  return demand;
};

describe('an edge’s view of its region’s demand', () => {
  it('ranks published titles by the region’s plays, with each published package and its bytes', () => {
    const demand = catalog();
    for (const event of played('b', 'eu', 2)) demand.apply(event);
    expect(demand.ranked(noon).map(({ titleId, encodingId, bytes }) => ({ titleId, encodingId, bytes }))).toEqual([
      { titleId: 'b', encodingId: 'e1', bytes: 200 },
      { titleId: 'a', encodingId: 'e1', bytes: 100 },
    ]);
  });

  it('ignores other regions’ plays, and counts plays with no region everywhere', () => {
    const demand = catalog();
    expect(played('b', 'us', 5).map((event) => demand.apply(event))).toEqual([false, false, false, false, false]);
    expect(demand.ranked(noon)[0]?.titleId).toBe('a');
    for (const event of played('b', null)) expect(demand.apply(event)).toBe(true);
    expect(demand.ranked(noon)[0]?.titleId).toBe('b');
  });

  it('stops ranking a title once its published encoding is unpublished, not for an older one', () => {
    const demand = catalog();
    expect(demand.apply(unpublished('a', 'e0'))).toBe(false);
    expect(demand.ranked(noon).map((item) => item.titleId)).toContain('a');
    demand.apply(unpublished('a'));
    expect(demand.ranked(noon).map((item) => item.titleId)).toEqual(['b']);
  });

  it('comes back from its snapshot with the same ranking and scores (a restart replays nothing)', () => {
    const demand = catalog();
    for (const event of played('a', 'eu', 3)) demand.apply(event);
    const restored = createRegionalDemand('eu', model);
    restored.restore(JSON.parse(JSON.stringify(demand.snapshot())));
    expect(restored.ranked(noon)).toEqual(demand.ranked(noon));
    expect(restored.bytesOf({ titleId: 'b', encodingId: 'e1' })).toBe(200);
  });
});
