import { defaultParallelFills } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { createSimulatedEdges } from '../src/simulate/simulated-edges';

const MB = 1_000_000;

describe('the simulated edges fill as the fill agent does', () => {
  it('runs two fills at once and lands a burst of publishes in turns, at the recorded speed', () => {
    expect(defaultParallelFills).toBe(2);
    const edges = createSimulatedEdges('fill-all', { filled: () => {}, evicted: () => {} });
    const edge = edges.register('edge-eu', 'eu', 1000 * MB);
    if (!edge) throw new Error('the edge registered');
    // Its recorded fills ran at 10 MB/s each.
    edges.recordedFill('edge-eu', 100 * MB, 10);
    const titles = ['a', 'b', 'c', 'd', 'e'].map((titleId) => ({ titleId, encodingId: 'e1', bytes: 50 * MB }));
    for (const title of titles) expect(edges.fill(edge, title, 0)).toBe(true);
    const landed = (atMs: number) => titles.filter((title) => edges.serves(edge, `${title.titleId}/e1`, atMs)).length;
    // Each fill takes 5 s: two by 5 s, four by 10 s, all five by 15 s.
    expect([4_999, 5_000, 10_000, 14_999, 15_000].map(landed)).toEqual([0, 2, 4, 4, 5]);
    // A fill asked for later, once the slots are free, starts at once.
    const late = { titleId: 'f', encodingId: 'e1', bytes: 50 * MB };
    edges.fill(edge, late, 60_000);
    expect(edges.serves(edge, 'f/e1', 65_000)).toBe(true);
  });
});
