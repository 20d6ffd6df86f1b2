import { describe, expect, it } from 'vitest';
import { isSuperseded, supersededHoldings } from '../src/superseded-revisions';

const minute = 60_000;
const published = (titleId: string) => ({ t1: 'e2', t2: 'e1' })[titleId];

describe('superseded revisions on an edge', () => {
  it('are the held encodings of a title published since with another one', () => {
    expect(isSuperseded({ titleId: 't1', encodingId: 'e1' }, published)).toBe(true);
    expect(isSuperseded({ titleId: 't1', encodingId: 'e2' }, published)).toBe(false);
    // Not published at all: unpublishing evicts it, not this.
    expect(isSuperseded({ titleId: 't3', encodingId: 'e1' }, published)).toBe(false);
  });
  it('stay while a viewer was served them within the grace, and go once nobody was', () => {
    const now = 100 * minute;
    const held = [
      { titleId: 't1', encodingId: 'e1', lastServedAt: now - minute, lastRequestedAt: now - minute },
      { titleId: 't1', encodingId: 'e0', lastServedAt: now - 20 * minute, lastRequestedAt: now - 20 * minute },
      { titleId: 't1', encodingId: 'e9', lastServedAt: now - minute, lastRequestedAt: null },
      { titleId: 't1', encodingId: 'e2', lastServedAt: now - 30 * minute, lastRequestedAt: null },
      { titleId: 't2', encodingId: 'e1', lastServedAt: now - 30 * minute, lastRequestedAt: null },
    ];
    const { inUse, idle } = supersededHoldings(held, published, now, 10 * minute);
    expect(inUse.map((item) => item.encodingId)).toEqual(['e1']);
    // e9 was installed a minute ago and never played: nobody to protect, and not idle for the grace yet.
    expect(idle.map((item) => item.encodingId)).toEqual(['e0']);
  });
});
