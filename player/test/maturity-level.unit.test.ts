import { describe, expect, it } from 'vitest';
import { allowsRating, maturityLevelOf, withinLevel } from '../src/app/account/maturity-level';
import type { MaturityRating } from '../src/app/api/types';

describe('a profile’s maturity level', () => {
  it('is the level the profile has, or by default the kids cap or everything', () => {
    expect(maturityLevelOf({ kids: false, maturityLevel: '13+' })).toBe('13+');
    expect(maturityLevelOf({ kids: true })).toBe('7+');
    expect(maturityLevelOf({ kids: false })).toBe('18+');
  });

  it('allows its own rating and those below, in the order all < 7+ < 13+ < 16+ < 18+', () => {
    expect(allowsRating('13+', '13+')).toBe(true);
    expect(allowsRating('13+', 'all')).toBe(true);
    expect(allowsRating('13+', '16+')).toBe(false);
    expect(allowsRating('all', '7+')).toBe(false);
    expect(allowsRating('18+', '18+')).toBe(true);
  });

  it('hides the items above it, keeping the order of the rest', () => {
    const items = (['18+', 'all', '13+', '7+', '16+'] as MaturityRating[]).map((maturityRating, i) => ({
      id: i,
      maturityRating,
    }));
    expect(withinLevel('7+', items).map((item) => item.id)).toEqual([1, 3]);
  });
});
