import { defaultParallelFills } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { createSimulatedEdges } from '../src/simulate/simulated-edges';

const MB = 1_000_000;

const oneEdge = (capacityBytes: number) => {
  const edges = createSimulatedEdges('fill-all', { filled: () => {}, evicted: () => {} });
  const edge = edges.register('edge-eu', 'eu', capacityBytes);
  if (!edge) throw new Error('the edge registered');
  const serving = (titles: { titleId: string }[], atMs: number) =>
    titles
      .filter((title) => edges.serves(edge, `${title.titleId}/e1`, atMs))
      .map((title) => title.titleId)
      .sort();
  return { edges, edge, serving };
};
const packages = (...ids: string[]) => ids.map((titleId) => ({ titleId, encodingId: 'e1', bytes: 50 * MB }));
/** Fills one 50 MB package at `atMs` and checks it is not served a millisecond before `landsAtMs`, and is then. */
const expectLone = (
  { edges, edge, serving }: ReturnType<typeof oneEdge>,
  titleId: string,
  atMs: number,
  landsAtMs: number,
) => {
  const [item] = packages(titleId) as [ReturnType<typeof packages>[number]];
  edges.fill(edge, item, atMs);
  expect(serving([item], landsAtMs - 1)).toEqual([]);
  expect(serving([item], landsAtMs)).toEqual([titleId]);
};

describe('the simulated edges fill as the fill agent does', () => {
  it('runs two fills at once, sharing the link, and lands a burst of publishes in turns', () => {
    expect(defaultParallelFills).toBe(2);
    const simulated = oneEdge(1000 * MB);
    const { edges, edge, serving } = simulated;
    // Its recorded fill fetched 100 MB in 10 s: a 10 MB/s link.
    edges.recordedFill('edge-eu', 100 * MB, 10, 10_000);
    const titles = packages('a', 'b', 'c', 'd', 'e');
    for (const title of titles) expect(edges.fill(edge, title, 0)).toBe(true);
    // Two at a time, 5 MB/s each: two by 10 s, four by 20 s, and the fifth, alone, by 25 s.
    expect([9_999, 10_000, 19_999, 20_000, 24_999, 25_000].map((atMs) => serving(titles, atMs).length)).toEqual([
      0, 2, 2, 4, 4, 5,
    ]);
    // A fill asked for later, once the link is free, starts at once and has it to itself.
    expectLone(simulated, 'f', 60_000, 65_000);
  });

  it('takes the link speed from the time it was busy, so fills that shared it are not a slow link', () => {
    const simulated = oneEdge(1000 * MB);
    const { edges } = simulated;
    // Two 50 MB fills ran side by side from 0 to 10 s, then one alone from 20 s to 25 s: 150 MB
    // over 15 s busy, 10 MB/s (their seconds summed, 25, would make it 6 MB/s).
    edges.recordedFill('edge-eu', 50 * MB, 10, 10_000);
    edges.recordedFill('edge-eu', 50 * MB, 10, 10_000);
    edges.recordedFill('edge-eu', 50 * MB, 5, 25_000);
    expectLone(simulated, 'a', 30_000, 35_000);
  });

  it('makes room for a queued fill when it starts, from what landed before it, and starts a miss first', () => {
    // Room for three packages of 50 MB, on a 10 MB/s link.
    const { edges, edge, serving } = oneEdge(160 * MB);
    edges.recordedFill('edge-eu', 100 * MB, 10, 0);
    const titles = packages('a', 'b', 'c', 'd', 'e');
    for (const title of titles) edges.fill(edge, title, 0);
    // A viewer misses on `e` at 1 s: it goes ahead of c and d.
    edges.fill(edge, titles[4] as (typeof titles)[number], 1_000, undefined, true);
    // a and b land at 10 s. e starts then, with room to spare, and c evicts one of the two just
    // landed (neither was ever served); d waits for the next slot.
    expect(serving(titles, 9_999)).toEqual([]);
    expect(serving(titles, 10_000)).toHaveLength(1);
    // e and c land at 20 s, and d, starting, evicts what was left of a and b: the burst lands in
    // turns, and the edge ends with the last three to start, not the first three.
    expect(serving(titles, 20_000)).toEqual(['c', 'e']);
    expect(serving(titles, 25_000)).toEqual(['c', 'd', 'e']);
    expect(edge.usedBytes).toBe(150 * MB);
  });

  it('fills at once on an edge with no recorded fill', () => {
    const { edges, edge, serving } = oneEdge(1000 * MB);
    const titles = packages('a', 'b', 'c');
    for (const title of titles) edges.fill(edge, title, 5_000);
    expect(serving(titles, 5_000)).toEqual(['a', 'b', 'c']);
  });
});
