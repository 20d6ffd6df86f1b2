/*
 * The arithmetic behind the analytics page's small SVG charts: axis bounds, bar and line
 * geometry, and day-by-day series with the quiet days filled in.
 */

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1), for an axis that reads well. */
export const niceMax = (value: number): number => {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
};

export type Box = { width: number; height: number };
export type Bar = { x: number; y: number; width: number; height: number };

/** Bars side by side across the box, each as tall as its share of `max`, bottom-aligned. */
export const barLayout = (
  values: readonly number[],
  box: Box,
  max = niceMax(Math.max(0, ...values)),
  gap = 4,
): Bar[] => {
  if (values.length === 0) return [];
  const slot = box.width / values.length;
  const width = Math.max(1, slot - gap);
  return values.map((value, index) => {
    const height = max > 0 ? (Math.max(0, value) / max) * box.height : 0;
    return { x: index * slot + gap / 2, y: box.height - height, width, height };
  });
};

/** Where each value sits, spread evenly across the box (a single value: the middle), top at `max`. */
export const lineCoordinates = (
  values: readonly number[],
  box: Box,
  max = niceMax(Math.max(0, ...values)),
): [x: number, y: number][] => {
  const step = values.length > 1 ? box.width / (values.length - 1) : 0;
  return values.map((value, index) => [
    round(values.length > 1 ? index * step : box.width / 2),
    round(box.height - (max > 0 ? (Math.max(0, value) / max) * box.height : 0)),
  ]);
};

/** The same as an SVG polyline's `points`. */
export const linePoints = (values: readonly number[], box: Box, max = niceMax(Math.max(0, ...values))): string =>
  lineCoordinates(values, box, max)
    .map(([x, y]) => `${x},${y}`)
    .join(' ');

const round = (n: number) => Math.round(n * 100) / 100;

const addDays = (day: string, days: number) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/**
 * `{ '2026-01-01': 3, '2026-01-03': 1 }` → one entry per day from the first to the last (or
 * the last `days` days up to the latest), with 0 for days without plays.
 */
export const dailySeries = (
  playsByDay: Readonly<Record<string, number>>,
  options: { days?: number } = {},
): { day: string; plays: number }[] => {
  const days = Object.keys(playsByDay)
    .filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day))
    .sort();
  const last = days.at(-1);
  const first = days[0];
  if (!first || !last) return [];
  const start = options.days ? maxDay(first, addDays(last, -(options.days - 1))) : first;
  const series: { day: string; plays: number }[] = [];
  for (let day = start; day <= last; day = addDays(day, 1)) series.push({ day, plays: playsByDay[day] ?? 0 });
  return series;
};

const maxDay = (a: string, b: string) => (a > b ? a : b);

/** Plays per day summed over several titles. */
export const sumByDay = (many: readonly Readonly<Record<string, number>>[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const byDay of many) for (const [day, plays] of Object.entries(byDay)) total[day] = (total[day] ?? 0) + plays;
  return total;
};
