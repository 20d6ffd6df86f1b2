import { describe, expect, it } from 'vitest';
import {
  barLayout,
  dailySeries,
  lineCoordinates,
  linePoints,
  niceMax,
  sumByDay,
} from '../src/app/analytics/chart-scale';

describe('chart arithmetic', () => {
  it('axes end on 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 0.3, 1, 3, 7, 12, 180, 4999, -5, Number.NaN].map(niceMax)).toEqual([
      1, 0.5, 1, 5, 10, 20, 200, 5000, 1, 1,
    ]);
  });

  it('bars share the width and stand on the bottom edge', () => {
    const bars = barLayout([5, 10, 0], { width: 300, height: 100 }, 10, 0);
    expect(bars).toEqual([
      { x: 0, y: 50, width: 100, height: 50 },
      { x: 100, y: 0, width: 100, height: 100 },
      { x: 200, y: 100, width: 100, height: 0 },
    ]);
    expect(barLayout([], { width: 300, height: 100 })).toEqual([]);
  });

  it('a line runs across the box, top at the axis maximum', () => {
    expect(linePoints([0, 5, 10], { width: 200, height: 100 }, 10)).toBe('0,100 100,50 200,0');
    expect(linePoints([4], { width: 200, height: 100 }, 10)).toBe('100,60');
    expect(lineCoordinates([0, 10], { width: 200, height: 100 }, 10)).toEqual([
      [0, 100],
      [200, 0],
    ]);
  });

  it('days without plays are filled in, and the window can be the last N days', () => {
    const byDay = { '2026-02-27': 2, '2026-03-02': 5 };
    expect(dailySeries(byDay)).toEqual([
      { day: '2026-02-27', plays: 2 },
      { day: '2026-02-28', plays: 0 },
      { day: '2026-03-01', plays: 0 },
      { day: '2026-03-02', plays: 5 },
    ]);
    expect(dailySeries(byDay, { days: 2 })).toEqual([
      { day: '2026-03-01', plays: 0 },
      { day: '2026-03-02', plays: 5 },
    ]);
    expect(dailySeries({})).toEqual([]);
  });

  it('plays per day add up across titles', () => {
    expect(sumByDay([{ '2026-01-01': 1, '2026-01-02': 2 }, { '2026-01-02': 3 }])).toEqual({
      '2026-01-01': 1,
      '2026-01-02': 5,
    });
  });
});
