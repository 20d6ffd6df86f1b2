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
