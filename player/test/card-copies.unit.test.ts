/** How the studio puts its cards together while the views catch up with what was done here. */
import { describe, expect, it } from 'vitest';
import { freshThenListed, newestCopy } from '../src/app/studio/card-copies';

describe('freshThenListed', () => {
  const idOf = (item: { id: string }) => item.id;

  it('shows what was made here first, then the list, one card each', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    expect(freshThenListed(['new', 'b'], [a, b], idOf)).toEqual([
      { id: 'new', listed: null },
      { id: 'a', listed: a },
      { id: 'b', listed: b },
    ]);
  });

  it('shows nothing before the list comes and nothing was made', () => {
    expect(freshThenListed([], [], idOf)).toEqual([]);
  });
});

describe('newestCopy', () => {
  const older = { updatedAt: '2026-01-01T00:00:00.000Z', from: 'older' };
  const newer = { updatedAt: '2026-01-02T00:00:00.000Z', from: 'newer' };

  it('takes the newer copy, the card’s own on a tie', () => {
    expect(newestCopy(newer, older)).toBe(newer);
    expect(newestCopy(older, newer)).toBe(newer);
    const same = { ...older, from: 'fetched' };
    expect(newestCopy(same, older)).toBe(same);
  });

  it('takes whichever copy there is', () => {
    expect(newestCopy(null, older)).toBe(older);
    expect(newestCopy(older, null)).toBe(older);
    expect(newestCopy(null, null)).toBeNull();
  });
});
