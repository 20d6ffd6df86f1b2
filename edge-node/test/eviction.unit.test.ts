import { chooseEvictions, type EvictionInput, FillLargerThanEdge, InsufficientCapacity } from '@marquee/domain';
import { describe, expect, it } from 'vitest';

/*
 * The edge evicts with the domain's fill policy. Under `fill-all` (the default) it must go on
 * evicting as it always has: the least recently served first, never what a fill is using.
 */

const pkg = (titleId: string, bytes: number) => ({ titleId, encodingId: 'e1', bytes });
const disk = (incomingBytes: number, overrides: Partial<EvictionInput<ReturnType<typeof pkg>>> = {}) => ({
  policy: 'fill-all' as const,
  held: [pkg('a', 300), pkg('b', 200), pkg('c', 100)],
  capacityBytes: 1000,
  freeBytes: 400,
  incoming: pkg('new', incomingBytes),
  lastServedAt: new Map([
    ['a/e1', 3000],
    ['b/e1', 1000],
    ['c/e1', 2000],
  ]),
  busy: new Set<string>(),
  ...overrides,
});
const titles = (victims: { titleId: string }[]) => victims.map((v) => v.titleId);

describe('choosing what to evict under fill-all', () => {
  it('evicts nothing when the package fits', () => {
    expect(chooseEvictions(disk(400))).toEqual([]);
  });
  it('evicts the least recently served first, and only as many as the package needs', () => {
    expect(titles(chooseEvictions(disk(500)))).toEqual(['b']);
    expect(titles(chooseEvictions(disk(601)))).toEqual(['b', 'c']);
    expect(titles(chooseEvictions(disk(1000)))).toEqual(['b', 'c', 'a']);
  });
  it('evicts a package never served before any that was', () => {
    const lastServedAt = new Map([
      ['a/e1', 3000],
      ['b/e1', 1000],
    ]);
    expect(titles(chooseEvictions(disk(450, { lastServedAt })))).toEqual(['c']);
  });
  it('never evicts a package a fill is using', () => {
    expect(titles(chooseEvictions(disk(500, { busy: new Set(['b/e1']) })))).toEqual(['c']);
  });
  it('ignores popularity scores: they are for the popularity policy', () => {
    const scores = new Map([
      ['a', 1],
      ['b', 100],
      ['c', 50],
    ]);
    expect(titles(chooseEvictions(disk(500, { scores })))).toEqual(['b']);
  });
  it('refuses a package larger than the whole edge, whatever it holds', () => {
    expect(() => chooseEvictions(disk(1001, { held: [] }))).toThrow(FillLargerThanEdge);
  });
  it('refuses when even evicting everything it may would not make room', () => {
    const input = disk(900, { busy: new Set(['a/e1']) });
    expect(() => chooseEvictions(input)).toThrow(InsufficientCapacity);
    expect(() => chooseEvictions(input)).toThrow(/needs 900 bytes and the edge has 700 free/);
  });
});
