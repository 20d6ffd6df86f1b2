import { describe, expect, it } from 'vitest';
import { InsufficientCapacity } from '../src/edge/edge-errors';
import { chooseEvictions, desiredHoldings } from '../src/fill-policy/fill-policy';

const pkg = (titleId: string, bytes = 10) => ({ titleId, encodingId: `${titleId}-e`, bytes });
const base = {
  capacityBytes: 30,
  freeBytes: 0,
  busy: new Set<string>(),
  held: [pkg('a'), pkg('b'), pkg('c')],
  lastServedAt: new Map([
    ['a/a-e', 3],
    ['b/b-e', 1],
    ['c/c-e', 2],
  ]),
  scores: new Map([
    ['a', 1],
    ['b', 9],
    ['c', 5],
    ['new', 6],
    ['rare', 0.5],
  ]),
};

describe('eviction by policy', () => {
  it('lru evicts the least recently served', () => {
    expect(chooseEvictions({ ...base, policy: 'lru', incoming: pkg('new') }).map((p) => p.titleId)).toEqual(['b']);
  });
  it('popularity evicts the least popular, and only titles less popular than the one coming in', () => {
    expect(chooseEvictions({ ...base, policy: 'popularity', incoming: pkg('new', 20) }).map((p) => p.titleId)).toEqual([
      'a',
      'c',
    ]);
    expect(() => chooseEvictions({ ...base, policy: 'popularity', incoming: pkg('rare') })).toThrow(
      InsufficientCapacity,
    );
  });
});

describe('what the popularity policy holds', () => {
  it('takes titles in predicted order while they fit, skipping one too large, never one nobody is predicted to watch', () => {
    const ranked = [
      { ...pkg('b', 15), score: 9 },
      { ...pkg('big', 20), score: 7 },
      { ...pkg('c', 10), score: 5 },
      { ...pkg('d', 10), score: 2 },
      { ...pkg('zero', 1), score: 0 },
    ];
    expect(desiredHoldings(ranked, 30).map((p) => p.titleId)).toEqual(['b', 'c']);
  });
});
