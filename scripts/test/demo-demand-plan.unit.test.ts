import { describe, expect, it } from 'vitest';
import { demoDemandPlan, demoDemandShape, weightedSequence } from '../demo-demand-plan';

const titles = ['Test Pattern', 'Colour Bars', 'Mandelbrot Zoom', 'Two Voices'].map((name, index) => ({
  titleId: `title-${index + 1}`,
  name,
}));

const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe("the demo's first-start demand", () => {
  it('gives each weighted choice its share, interleaved rather than in runs', () => {
    const picks = weightedSequence([5, 3, 2], 10);
    expect(countBy(picks, String)).toEqual({ 0: 5, 1: 3, 2: 2 });
    expect(picks.slice(0, 3)).toEqual([0, 1, 2]);
    expect(weightedSequence([], 4)).toEqual([]);
    expect(weightedSequence([0, 0], 4)).toEqual([]);
  });

  it('is skewed: the first title gets the most plays, each next one fewer, and every title some', () => {
    const plan = demoDemandPlan(titles);
    expect(plan).toHaveLength(demoDemandShape.plays);
    const plays = titles.map((title) => plan.filter((play) => play.titleId === title.titleId).length);
    console.log(`plays per title: ${plays.join(', ')}`);
    for (let rank = 1; rank < plays.length; rank++) expect(plays[rank]).toBeLessThanOrEqual(plays[rank - 1] as number);
    expect(plays[0]).toBeGreaterThanOrEqual(3 * (plays.at(-1) as number));
    expect(Math.min(...plays)).toBeGreaterThan(0);
  });

  it('plays from the regions with an edge and, a fifth of the time, from one without (content misses)', () => {
    const plan = demoDemandPlan(titles);
    expect(countBy(plan, (play) => play.region)).toEqual({ eu: 18, us: 11, ap: 7 });
    // The popular title is watched in the region without an edge too.
    expect(plan.some((play) => play.region === 'ap' && play.titleId === 'title-1')).toBe(true);
  });

  it('is the same on every fresh demo, and nothing without titles', () => {
    expect(demoDemandPlan(titles)).toEqual(demoDemandPlan(titles));
    expect(demoDemandPlan([])).toEqual([]);
  });
});
