import { describe, expect, it } from 'vitest';
import { seededShuffle, zipfDemand, zipfShares } from '../src/testing';

describe('seeded Zipf demand', () => {
  const titles = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8'];

  it('gives the same plays for the same seed, and other plays for another', () => {
    const plays = zipfDemand({ items: titles, plays: 200, seed: 7 });
    expect(zipfDemand({ items: titles, plays: 200, seed: 7 })).toEqual(plays);
    expect(zipfDemand({ items: titles, plays: 200, seed: 8 })).not.toEqual(plays);
  });

  it('gives the first titles most of the plays, close to their Zipf share', () => {
    const plays = zipfDemand({ items: titles, plays: 20_000, seed: 1, exponent: 1.2 });
    const shares = zipfShares(titles.length, 1.2);
    titles.forEach((title, rank) => {
      const share = plays.filter((play) => play === title).length / plays.length;
      expect(Math.abs(share - (shares[rank] ?? 0))).toBeLessThan(0.01);
    });
    expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 10);
  });

  it('shuffles a region’s taste the same way for the same seed, keeping every title', () => {
    expect(seededShuffle(titles, 3)).toEqual(seededShuffle(titles, 3));
    expect(seededShuffle(titles, 3).toSorted()).toEqual(titles);
  });
});
