/*
 * How the CDN's delivery figures read on the analytics page: offload as a share, misses by
 * class with what each class means, regions and time buckets as labels. A window with nothing
 * delivered has no ratio: it reads "No plays yet", never NaN or 0 %.
 */
import type { DeliveryFigures, MissFigures, OffloadReport } from '../api/types';
import { byteSize, percent } from '../display-format';

export const noPlaysYet = 'No plays yet';

/** 0.875 → "87.5%"; null (nothing delivered) → "No plays yet". */
export const offloadText = (ratio: number | null): string =>
  ratio === null || !Number.isFinite(ratio) ? noPlaysYet : percent(ratio);

/** A byte count as the page writes it ("1.5 GiB"); never "NaN bytes". */
export const bytesText = (bytes: number): string => byteSize(Number.isFinite(bytes) ? Math.max(0, bytes) : 0);

/** Plays that did not say where the viewer was have no region. */
export const regionName = (region: string | null): string => region ?? 'no region';

const missMeanings: Record<keyof MissFigures, { label: string; meaning: string }> = {
  content: { label: 'Content', meaning: 'no edge in the region held the title' },
  health: { label: 'Health', meaning: 'an edge held it but was down or overloaded' },
  steering: { label: 'Steering', meaning: 'a healthy edge held it but was not offered first' },
};

export type MissRow = {
  missClass: keyof MissFigures;
  label: string;
  meaning: string;
  plays: number;
  /** The class's share of every play in the window; null when there were none. */
  playShare: number | null;
  bytes: number;
};

/** One row per miss class, in the operator's order: content, health, steering. */
export const missRows = (figures: DeliveryFigures): MissRow[] =>
  (Object.keys(missMeanings) as (keyof MissFigures)[]).map((missClass) => ({
    missClass,
    ...missMeanings[missClass],
    plays: figures.missPlays[missClass],
    playShare: figures.plays > 0 ? figures.missPlays[missClass] / figures.plays : null,
    bytes: figures.missBytes[missClass],
  }));

/** Plays served from an edge in the viewer's region from their start. */
export const localPlays = (figures: DeliveryFigures): number =>
  Math.max(0, figures.plays - figures.missPlays.content - figures.missPlays.health - figures.missPlays.steering);

/** A share, or "–" when there is nothing to share out. */
export const shareText = (share: number | null): string => (share === null ? '–' : percent(share, 0));

/** Bars of offload per region; a region with nothing delivered has no bar rather than a 0 % one. */
export const offloadByRegionBars = (byRegion: OffloadReport['byRegion']) =>
  byRegion.flatMap((row) =>
    row.offloadRatio === null ? [] : [{ label: regionName(row.region), value: row.offloadRatio }],
  );

/** '2026-11-30T14:00:00.000Z' → "2026-11-30 14:00" for an hour, "2026-11-30" for a day (UTC, as the API buckets). */
export const bucketLabel = (at: string, bucket: OffloadReport['bucket']): string => {
  const iso = new Date(at).toISOString();
  return bucket === 'hour' ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
};

/** The offload line over time: one point per bucket that delivered anything. */
export const offloadOverTime = (report: Pick<OffloadReport, 'series' | 'bucket'>) =>
  report.series.flatMap((point) =>
    point.offloadRatio === null ? [] : [{ label: bucketLabel(point.at, report.bucket), value: point.offloadRatio }],
  );

export const deliveryPeriods = [
  { id: 'day', label: 'Last 24 hours', hours: 24 },
  { id: 'week', label: 'Last 7 days', hours: 7 * 24 },
  { id: 'month', label: 'Last 30 days', hours: 30 * 24 },
] as const;
export type DeliveryPeriod = (typeof deliveryPeriods)[number]['id'];

/** The window a period names, ending now. */
export const periodWindow = (period: DeliveryPeriod, now: Date): { from: string; until: string } => {
  const hours = deliveryPeriods.find((entry) => entry.id === period)?.hours ?? 7 * 24;
  return { from: new Date(now.getTime() - hours * 3_600_000).toISOString(), until: now.toISOString() };
};

/** The regions to rank popularity for: every region that played in the window, named ones only. */
export const playedRegions = (byRegion: OffloadReport['byRegion']): string[] =>
  [...new Set(byRegion.flatMap((row) => (row.region !== null && row.plays > 0 ? [row.region] : [])))].sort();
