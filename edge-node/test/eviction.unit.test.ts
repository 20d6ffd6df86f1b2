import { FillLargerThanEdge, InsufficientCapacity } from '@marquee/domain';
import { describe, expect, it } from 'vitest';
import { chooseEvictions, type EvictionInput } from '../src/eviction';

const pkg = (titleId: string, bytes: number) => ({ titleId, encodingId: 'e1', bytes });
const disk = (overrides: Partial<EvictionInput<ReturnType<typeof pkg>>> = {}) => ({
  held: [pkg('a', 300), pkg('b', 200), pkg('c', 100)],
  capacityBytes: 1000,
  freeBytes: 400,
  incomingBytes: 100,
  lastServedAt: new Map([
    ['a/e1', 3000],
    ['b/e1', 1000],
    ['c/e1', 2000],
  ]),
  busy: new Set<string>(),
  ...overrides,
});
const titles = (victims: { titleId: string }[]) => victims.map((v) => v.titleId);

describe('choosing what to evict', () => {
  it('evicts nothing when the package fits', () => {
    expect(chooseEvictions(disk({ incomingBytes: 400 }))).toEqual([]);
  });
  it('evicts the least recently served first, and only as many as the package needs', () => {
    expect(titles(chooseEvictions(disk({ incomingBytes: 500 })))).toEqual(['b']);
    expect(titles(chooseEvictions(disk({ incomingBytes: 601 })))).toEqual(['b', 'c']);
    expect(titles(chooseEvictions(disk({ incomingBytes: 1000 })))).toEqual(['b', 'c', 'a']);
  });
  it('evicts a package never served before any that was', () => {
    const lastServedAt = new Map([
      ['a/e1', 3000],
      ['b/e1', 1000],
    ]);
    expect(titles(chooseEvictions(disk({ incomingBytes: 450, lastServedAt })))).toEqual(['c']);
  });
  it('never evicts a package a fill is using', () => {
    expect(titles(chooseEvictions(disk({ incomingBytes: 500, busy: new Set(['b/e1']) })))).toEqual(['c']);
  });
  it('refuses a package larger than the whole edge, whatever it holds', () => {
    expect(() => chooseEvictions(disk({ incomingBytes: 1001, held: [] }))).toThrow(FillLargerThanEdge);
  });
  it('refuses when even evicting everything it may would not make room', () => {
    const input = disk({ incomingBytes: 900, busy: new Set(['a/e1']) });
    expect(() => chooseEvictions(input)).toThrow(InsufficientCapacity);
    expect(() => chooseEvictions(input)).toThrow(/needs 900 bytes and the edge has 700 free/);
  });
});
