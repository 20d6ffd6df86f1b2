import { describe, expect, it } from 'vitest';
import { createPopularity } from '../src/popularity/popularity';

const hour = 3_600_000;

describe('predicted popularity per region', () => {
  it('ranks by plays in the region, each halving after the half-life', () => {
    const popularity = createPopularity({ halfLifeHours: 24, newReleasePlays: 0 });
    popularity.published('old-hit', 0);
    popularity.published('fresh', 0);
    for (let i = 0; i < 4; i++) popularity.play('eu', 'old-hit', 0);
    for (let i = 0; i < 3; i++) popularity.play('eu', 'fresh', 48 * hour);
    popularity.play('us', 'old-hit', 48 * hour);
    // Four plays two half-lives ago are worth one now; three plays now are worth three.
    expect(popularity.score('eu', 'old-hit', 48 * hour)).toBeCloseTo(1);
    expect(popularity.ranked('eu', 48 * hour).map((title) => title.titleId)).toEqual(['fresh', 'old-hit']);
    expect(popularity.score('us', 'fresh', 48 * hour)).toBe(0);
  });

  it('gives a new release its prior at the first publish only, and counts region-less plays everywhere', () => {
    const popularity = createPopularity({ halfLifeHours: 24, newReleasePlays: 3 });
    popularity.published('new', 0);
    popularity.published('new', 24 * hour);
    expect(popularity.score('eu', 'new', 24 * hour)).toBeCloseTo(1.5);
    popularity.play(null, 'new', 24 * hour);
    expect(popularity.score('us', 'new', 24 * hour)).toBeCloseTo(2.5);
    popularity.withdrawn('new');
    expect(popularity.ranked('us', 24 * hour)).toEqual([]);
  });

  it('restores from its snapshot to the same scores', () => {
    const popularity = createPopularity();
    popularity.published('a', 0);
    popularity.play('eu', 'a', hour);
    const copy = createPopularity();
    copy.restore(JSON.parse(JSON.stringify(popularity.snapshot())));
    expect(copy.ranked('eu', 10 * hour)).toEqual(popularity.ranked('eu', 10 * hour));
  });
});
