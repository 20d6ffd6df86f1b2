import { describe, expect, it } from 'vitest';
import { type EdgeCandidate, rankEdges } from '../src';

const edge = (edgeId: string, overrides: Partial<EdgeCandidate> = {}): EdgeCandidate => ({
  edgeId,
  url: `http://${edgeId}`,
  region: 'eu',
  healthy: true,
  holds: true,
  load: 0.5,
  ...overrides,
});
const originUrl = 'http://origin';
const ids = (targets: ReturnType<typeof rankEdges>) => targets.map((t) => t.edgeId ?? 'origin');

describe('steering policy', () => {
  it("puts edges in the viewer's region first, then the least loaded, with the origin last", () => {
    const candidates = [
      edge('us-1', { region: 'us', load: 0.1 }),
      edge('eu-busy', { load: 0.9 }),
      edge('eu-quiet', { load: 0.2 }),
    ];
    expect(ids(rankEdges({ viewerRegion: 'eu', candidates, originUrl }))).toEqual([
      'eu-quiet',
      'eu-busy',
      'us-1',
      'origin',
    ]);
  });
  it('leaves out edges that do not hold the title or are unhealthy', () => {
    const candidates = [edge('a', { holds: false }), edge('b', { healthy: false }), edge('c')];
    expect(ids(rankEdges({ viewerRegion: 'eu', candidates, originUrl }))).toEqual(['c', 'origin']);
  });
  it('falls back to the origin alone when no edge can serve', () => {
    expect(rankEdges({ viewerRegion: 'eu', candidates: [], originUrl })).toEqual([
      { kind: 'origin', edgeId: null, url: originUrl, region: null },
    ]);
  });
  it('orders equal edges by id, so the ranking is stable', () => {
    const candidates = [edge('b'), edge('a')];
    expect(ids(rankEdges({ viewerRegion: null, candidates, originUrl }))).toEqual(['a', 'b', 'origin']);
  });
});

describe('steering policy, for a player already on an edge', () => {
  const rankFrom = (currentEdgeId: string, candidates: EdgeCandidate[], viewerRegion: string | null = null) =>
    ids(rankEdges({ viewerRegion, candidates, originUrl, currentEdgeId }));

  it('keeps it on its edge when another is only a little less loaded: its own requests do not move it', () => {
    expect(rankFrom('b', [edge('a', { load: 0 }), edge('b', { load: 1 })])).toEqual(['b', 'a', 'origin']);
    expect(rankFrom('b', [edge('a', { load: 3 }), edge('b', { load: 7 }), edge('c', { load: 5 })])).toEqual([
      'b',
      'a',
      'c',
      'origin',
    ]);
  });
  it('moves it once its edge is more than twice as busy as the least loaded, plus one', () => {
    expect(rankFrom('b', [edge('a', { load: 0 }), edge('b', { load: 2 })])).toEqual(['a', 'b', 'origin']);
    expect(rankFrom('b', [edge('a', { load: 3 }), edge('b', { load: 8 })])).toEqual(['a', 'b', 'origin']);
  });
  it('moves it when its edge is unhealthy or no longer holds the title', () => {
    expect(rankFrom('b', [edge('a', { load: 1 }), edge('b', { load: 0, healthy: false })])).toEqual(['a', 'origin']);
    expect(rankFrom('b', [edge('a', { load: 1 }), edge('b', { load: 0, holds: false })])).toEqual(['a', 'origin']);
  });
  it("still puts the viewer's region first: its edge leads only the edges as near as it is", () => {
    const candidates = [
      edge('eu-1', { load: 1 }),
      edge('us-1', { region: 'us', load: 1 }),
      edge('us-2', { region: 'us', load: 0 }),
    ];
    expect(rankFrom('us-1', candidates, 'eu')).toEqual(['eu-1', 'us-1', 'us-2', 'origin']);
  });
  it('ranks as for a new viewer when its edge is not a candidate', () => {
    expect(rankFrom('gone', [edge('b', { load: 1 }), edge('a', { load: 0 })])).toEqual(['a', 'b', 'origin']);
  });
});
