import { InvalidRequest } from '@marquee/platform';
import type { DeliveryWindow } from '@marquee/read-models';
import { z } from 'zod';
import { idParam } from '../query-parameters';

/*
 * The window and filters every analytics endpoint takes: `from`/`until` (ISO; the last 7 days
 * unless given), and optionally one viewer region and one title.
 */

const dayMs = 86_400_000;
export const defaultWindowDays = 7;
/** A year and a day: the longest window, so a chart stays a few hundred points. */
export const maxWindowDays = 366;

const isoParam = (describe: string) =>
  z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time with a zone, e.g. 2026-11-24T10:00:00Z' })
    .optional()
    .describe(describe);

export const windowParams = {
  from: isoParam(`Start of the window, inclusive (default: ${defaultWindowDays} days before until).`),
  until: isoParam('End of the window, exclusive (default: now).'),
};
export const regionParam = z
  .string()
  .min(1, 'must name a region; leave it out for every region')
  .max(64, 'is longer than any region')
  .optional()
  .describe("Only viewers in this region (the region their session's token grants).");
export const titleFilterParam = idParam('title').optional().describe('Only this title.');

/** The window a request asks about, checked: from before until, at most a year long. */
export const resolveWindow = (
  query: { from?: string | undefined; until?: string | undefined },
  now: Date,
): DeliveryWindow => {
  const untilMs = query.until === undefined ? now.getTime() : Date.parse(query.until);
  const fromMs = query.from === undefined ? untilMs - defaultWindowDays * dayMs : Date.parse(query.from);
  if (fromMs >= untilMs)
    throw new InvalidRequest([{ in: 'query', parameter: 'from', message: 'must be before until' }]);
  if (untilMs - fromMs > maxWindowDays * dayMs)
    throw new InvalidRequest([
      { in: 'query', parameter: 'from', message: `must be at most ${maxWindowDays} days before until` },
    ]);
  return { fromMs, untilMs };
};

export const windowErrors = {
  400: 'A parameter is malformed, from is not before until, or the window is over a year.',
};
