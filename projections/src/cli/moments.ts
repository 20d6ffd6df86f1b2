/** A point in the log, as analysts name it: a position (digits) or an ISO time. */
export type Moment = { position: number } | { time: Date };

export class UsageError extends Error {}

export const parseMoment = (value: string, option: string): Moment => {
  if (/^\d+$/.test(value)) return { position: Number(value) };
  const time = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(time)) return { time: new Date(time) };
  throw new UsageError(
    `${option} "${value}" is neither a position (digits) nor an ISO time such as 2026-11-01T00:00:00Z.`,
  );
};
