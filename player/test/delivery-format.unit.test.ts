import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  bytesText,
  localPlays,
  missRows,
  offloadByRegionBars,
  offloadOverTime,
  offloadText,
  periodWindow,
  playedRegions,
  shareText,
} from '../src/app/analytics/delivery-format';
import type { DeliveryFigures } from '../src/app/api/types';

const figures = (overrides: Partial<DeliveryFigures> = {}): DeliveryFigures => ({
  edgeBytes: 0,
  originBytes: 0,
  offloadRatio: null,
  plays: 0,
  missPlays: { content: 0, health: 0, steering: 0 },
  missBytes: { content: 0, health: 0, steering: 0 },
  ...overrides,
});

describe('delivery figures as the analytics page writes them', () => {
  it('an offload ratio reads as a percentage, and a window with nothing delivered as "No plays yet"', () => {
    expect(offloadText(0.875)).toBe('87.5%');
    expect(offloadText(1)).toBe('100.0%');
    expect(offloadText(0)).toBe('0.0%');
    expect(offloadText(null)).toBe('No plays yet');
    expect(offloadText(Number.NaN)).toBe('No plays yet');
  });

  it('bytes read in binary units, and never as NaN or below zero', () => {
    expect(bytesText(0)).toBe('0 bytes');
    expect(bytesText(1536)).toBe('1.5 KiB');
    expect(bytesText(250 * 1024 * 1024)).toBe('250.0 MiB');
    expect(bytesText(3.25 * 1024 ** 3)).toBe('3.3 GiB');
    expect(bytesText(Number.NaN)).toBe('0 bytes');
    expect(bytesText(-5)).toBe('0 bytes');
  });

  it('misses come one row per class, content first, with their share of every play', () => {
    const rows = missRows(
      figures({
        plays: 40,
        missPlays: { content: 10, health: 2, steering: 0 },
        missBytes: { content: 5_000_000, health: 1024, steering: 0 },
      }),
    );
    expect(rows.map((row) => [row.missClass, row.plays, row.playShare, row.bytes])).toEqual([
      ['content', 10, 0.25, 5_000_000],
      ['health', 2, 0.05, 1024],
      ['steering', 0, 0, 0],
    ]);
    expect(rows[0]?.meaning).toMatch(/no edge in the region held the title/);
    expect(localPlays(figures({ plays: 40, missPlays: { content: 10, health: 2, steering: 0 } }))).toBe(28);
  });

  it('with no plays a miss share is a dash, not NaN %', () => {
    const rows = missRows(figures());
    expect(rows.map((row) => row.playShare)).toEqual([null, null, null]);
    expect(shareText(null)).toBe('–');
    expect(shareText(0.25)).toBe('25%');
  });

  it('a region that delivered nothing has no bar, and the null region is named', () => {
    const bars = offloadByRegionBars([
      { ...figures({ offloadRatio: 0.9, plays: 3 }), region: 'eu' },
      { ...figures(), region: 'us' },
      { ...figures({ offloadRatio: 0.5, plays: 1 }), region: null },
    ]);
    expect(bars).toEqual([
      { label: 'eu', value: 0.9 },
      { label: 'no region', value: 0.5 },
    ]);
  });

  it('offload over time labels each bucket in UTC and skips the empty ones', () => {
    expect(bucketLabel('2026-11-30T14:00:00.000Z', 'hour')).toBe('2026-11-30 14:00');
    expect(bucketLabel('2026-11-30T00:00:00.000Z', 'day')).toBe('2026-11-30');
    const line = offloadOverTime({
      bucket: 'hour',
      series: [
        { ...figures({ offloadRatio: 1 }), at: '2026-11-30T13:00:00.000Z' },
        { ...figures(), at: '2026-11-30T14:00:00.000Z' },
        { ...figures({ offloadRatio: 0.75 }), at: '2026-11-30T15:00:00.000Z' },
      ],
    });
    expect(line).toEqual([
      { label: '2026-11-30 13:00', value: 1 },
      { label: '2026-11-30 15:00', value: 0.75 },
    ]);
  });

  it('a period is the window ending now; popularity is ranked for the named regions that played', () => {
    expect(periodWindow('day', new Date('2026-11-30T12:00:00Z'))).toEqual({
      from: '2026-11-29T12:00:00.000Z',
      until: '2026-11-30T12:00:00.000Z',
    });
    expect(periodWindow('week', new Date('2026-11-30T12:00:00Z')).from).toBe('2026-11-23T12:00:00.000Z');
    expect(
      playedRegions([
        { ...figures({ plays: 2 }), region: 'us' },
        { ...figures({ plays: 1 }), region: null },
        { ...figures({ plays: 0 }), region: 'ap' },
        { ...figures({ plays: 5 }), region: 'eu' },
      ]),
    ).toEqual(['eu', 'us']);
  });
});
