/*
 * The analytics page's delivery figures as an analyst reads them: the component rendered to
 * HTML (Svelte's server renderer) from answers shaped as the query API's.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import DeliveryReport from '../src/app/analytics/DeliveryReport.svelte';
import type { DeliveryFigures, OffloadReport, OriginTitle } from '../src/app/api/types';

const nothing: DeliveryFigures = {
  edgeBytes: 0,
  originBytes: 0,
  offloadRatio: null,
  plays: 0,
  missPlays: { content: 0, health: 0, steering: 0 },
  missBytes: { content: 0, health: 0, steering: 0 },
};

const week = { from: '2026-11-23T12:00:00.000Z', until: '2026-11-30T12:00:00.000Z', bucket: 'hour' as const };

const demo: OffloadReport = {
  ...week,
  totals: {
    edgeBytes: 300 * 1024 * 1024,
    originBytes: 100 * 1024 * 1024,
    offloadRatio: 0.75,
    plays: 36,
    missPlays: { content: 8, health: 1, steering: 0 },
    missBytes: { content: 90 * 1024 * 1024, health: 10 * 1024 * 1024, steering: 0 },
    originEgressBytes: 2 * 1024 ** 3,
  },
  byRegion: [
    { ...nothing, region: 'eu', edgeBytes: 200, offloadRatio: 1, plays: 20 },
    { ...nothing, region: 'ap', edgeBytes: 50, originBytes: 150, offloadRatio: 0.25, plays: 8 },
    { ...nothing, region: 'us' },
  ],
  series: [
    { ...nothing, at: '2026-11-30T10:00:00.000Z', offloadRatio: 0.5, plays: 4 },
    { ...nothing, at: '2026-11-30T11:00:00.000Z', offloadRatio: 0.9, plays: 32 },
  ],
};

const costly: OriginTitle[] = [
  { ...nothing, titleId: 't-1', name: 'Colour Bars', originBytes: 80 * 1024 * 1024, offloadRatio: 0.2, plays: 6 },
  { ...nothing, titleId: 't-2', name: null, originBytes: 1024, offloadRatio: 0.99, plays: 1 },
];

/** The text inside the element with this test id (tags dropped, space collapsed). */
const textOf = (html: string, testId: string) => {
  const start = html.indexOf(`data-testid="${testId}"`);
  if (start < 0) return null;
  const tag = /<(\w+)/.exec(html.slice(html.lastIndexOf('<', start)))?.[1] as string;
  const end = html.indexOf(`</${tag}>`, start);
  return html
    .slice(html.indexOf('>', start) + 1, end)
    .replace(/<!--[^>]*-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

describe('the delivery figures on the analytics page', () => {
  it('shows the offload ratio as a percentage, bytes in binary units and the plays that started locally', () => {
    const { body } = render(DeliveryReport, { props: { report: demo, costly } });
    expect(textOf(body, 'offload-ratio')).toBe('75.0%');
    expect(textOf(body, 'edge-bytes')).toBe('300.0 MiB');
    expect(textOf(body, 'origin-bytes')).toBe('100.0 MiB');
    expect(textOf(body, 'origin-egress')).toBe('2.0 GiB');
    expect(textOf(body, 'delivery-plays')).toBe('36');
    expect(body).toContain('27 started on an edge in their region');
    expect(body).not.toMatch(/NaN|undefined/);
  });

  it('counts misses by class in plays and bytes', () => {
    const { body } = render(DeliveryReport, { props: { report: demo, costly } });
    expect(textOf(body, 'miss-content-plays')).toBe('8');
    expect(textOf(body, 'miss-content-bytes')).toBe('90.0 MiB');
    expect(textOf(body, 'miss-health-plays')).toBe('1');
    expect(textOf(body, 'miss-health-bytes')).toBe('10.0 MiB');
    expect(textOf(body, 'miss-steering-plays')).toBe('0');
    expect(textOf(body, 'miss-content')).toContain('22%');
  });

  it('charts offload per region with a bar for each region that delivered, and over time', () => {
    const { body } = render(DeliveryReport, { props: { report: demo, costly } });
    const regions = textOf(body, 'chart-offload-by-region') ?? '';
    expect(regions).toContain('eu: 100.0%');
    expect(regions).toContain('ap: 25.0%');
    expect(regions).not.toContain('us');
    const overTime = textOf(body, 'chart-offload-over-time') ?? '';
    expect(overTime).toContain('2026-11-30 10:00: 50.0%');
    expect(overTime).toContain('2026-11-30 11:00: 90.0%');
  });

  it('lists the titles that cost the origin most, a title without a name by its id', () => {
    const { body } = render(DeliveryReport, { props: { report: demo, costly } });
    const table = textOf(body, 'origin-titles') ?? '';
    expect(table).toMatch(/1 Colour Bars 80\.0 MiB 0 bytes 20\.0% 6/);
    expect(table).toMatch(/2 t-2 1\.0 KiB/);
  });

  it('a window without plays says "No plays yet" everywhere, never NaN or 0 %', () => {
    const empty: OffloadReport = { ...week, totals: { ...nothing, originEgressBytes: 0 }, byRegion: [], series: [] };
    const { body } = render(DeliveryReport, { props: { report: empty, costly: [] } });
    expect(textOf(body, 'offload-ratio')).toBe('No plays yet');
    expect(textOf(body, 'misses-by-class')).toBe('No plays yet');
    expect(textOf(body, 'chart-offload-by-region')).toContain('No plays yet.');
    expect(textOf(body, 'chart-offload-over-time')).toContain('No plays yet.');
    expect(textOf(body, 'origin-titles')).toBe('No plays yet');
    expect(body).not.toMatch(/NaN|0\.0%/);
  });
});
