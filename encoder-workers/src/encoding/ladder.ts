/**
 * The per-title bitrate ladder: which of the configured rungs a source gets. A rung never
 * upscales the source, and a rung too close to the one above it is dropped, because it costs
 * an encode and storage without giving the player a step it would choose.
 */
import type { LadderRung } from '@marquee/domain';

/** One configured step: a height and the video bitrate to encode it at. */
export type Rung = { height: number; videoBitrateKbps: number };

export const defaultRungs: readonly Rung[] = [
  { height: 240, videoBitrateKbps: 300 },
  { height: 360, videoBitrateKbps: 700 },
  { height: 480, videoBitrateKbps: 1200 },
  { height: 720, videoBitrateKbps: 2500 },
  { height: 1080, videoBitrateKbps: 4500 },
  { height: 2160, videoBitrateKbps: 12000 },
];

/** A lower rung at 80% or more of the height of the rung above it adds too little to keep. */
export const closeRungRatio = 0.8;

/** A source smaller than every rung still gets at least this much video bitrate. */
export const minimumBitrateKbps = 100;

/** The rungs setting (e.g. ENCODER_RUNGS) is not a list the ladder can use. */
export class InvalidRungs extends Error {
  readonly code = 'InvalidRungs';
  constructor(readonly problem: string) {
    super(
      `The rungs setting is not valid: ${problem}. Write it as height:kbps pairs, e.g. "240:300,360:700,720:2500".`,
    );
    this.name = 'InvalidRungs';
  }
}

const positiveInteger = /^[1-9][0-9]*$/;

/** Reads "240:300,360:700,…" (height:kbps); the result is sorted by height. */
export const parseRungs = (text: string): Rung[] => {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new InvalidRungs('it lists no rung');

  const rungs = entries.map((entry): Rung => {
    const [height, kbps, extra] = entry.split(':').map((part) => part.trim());
    if (height === undefined || kbps === undefined || extra !== undefined) {
      throw new InvalidRungs(`"${entry}" is not a height:kbps pair`);
    }
    if (!positiveInteger.test(height))
      throw new InvalidRungs(`the height in "${entry}" is not a positive whole number`);
    if (!positiveInteger.test(kbps)) throw new InvalidRungs(`the bitrate in "${entry}" is not a positive whole number`);
    return { height: Number(height), videoBitrateKbps: Number(kbps) };
  });

  const sorted = rungs.toSorted((a, b) => a.height - b.height);
  sorted.forEach((rung, index) => {
    if (rung.height < 2) throw new InvalidRungs(`a height of ${rung.height} is too small to encode`);
    if (index > 0 && sorted[index - 1]?.height === rung.height) {
      throw new InvalidRungs(`height ${rung.height} appears twice`);
    }
  });
  return sorted;
};

// libx264 with yuv420p needs even widths and heights.
const evenAtMost = (limit: number, value: number): number =>
  Math.max(2, Math.min(Math.round(value / 2) * 2, Math.floor(limit / 2) * 2));

const rungOf = (source: { width: number; height: number }, height: number, videoBitrateKbps: number): LadderRung => {
  const evenHeight = evenAtMost(source.height, height);
  return {
    width: evenAtMost(source.width, (evenHeight * source.width) / source.height),
    height: evenHeight,
    videoBitrateKbps,
  };
};

/**
 * The ladder for one source, lowest rung first. The top rung is the tallest configured rung at
 * or below the source's height (no extra rung at the source's own height: a 1000p source tops
 * out at 720p). A source shorter than every rung gets one rung at its own size, with the lowest
 * rung's bitrate scaled down by pixel count. Widths keep the source's aspect ratio.
 */
export const planLadder = (source: { width: number; height: number }, rungs: readonly Rung[]): LadderRung[] => {
  const sorted = rungs.toSorted((a, b) => a.height - b.height);
  const lowest = sorted[0];
  if (lowest === undefined) throw new InvalidRungs('it lists no rung');

  const fitting = sorted.filter((rung) => rung.height <= source.height);
  if (fitting.length === 0) {
    const own = rungOf(source, source.height, 1);
    const lowestPixels = (lowest.height * lowest.height * source.width) / source.height;
    const pixelShare = (own.width * own.height) / lowestPixels;
    return [
      { ...own, videoBitrateKbps: Math.max(minimumBitrateKbps, Math.round(lowest.videoBitrateKbps * pixelShare)) },
    ];
  }

  // Walk down from the top, so "too close" is measured against a rung that is kept.
  const kept: Rung[] = [];
  for (const rung of fitting.toReversed()) {
    const above = kept.at(-1);
    if (above === undefined || rung.height < above.height * closeRungRatio) kept.push(rung);
  }
  return kept.toReversed().map((rung) => rungOf(source, rung.height, rung.videoBitrateKbps));
};
