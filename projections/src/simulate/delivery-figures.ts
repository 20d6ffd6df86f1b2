import type { MissClass } from '@marquee/domain';

/*
 * What a fill policy did for the viewers, in the figures the analytics endpoints report
 * (DeliveryFigures), plus what it cost the origin: the fills it sent the edges.
 */

export type MissCounts = Record<MissClass, number>;

export type SimulatedFigures = {
  /** Bytes viewers fetched from an edge's disk. */
  edgeBytes: number;
  /** Bytes viewers fetched from the origin. */
  originBytes: number;
  /** edgeBytes ÷ (edgeBytes + originBytes); null when nothing was served. */
  offloadRatio: number | null;
  plays: number;
  missPlays: MissCounts;
  missBytes: MissCounts;
  /** Bytes the origin sent the edges to fill packages. */
  fillBytes: number;
  fills: number;
  evictions: number;
  /** Everything the origin sent: viewers' bytes and fills. */
  originEgressBytes: number;
};

const noMisses = (): MissCounts => ({ content: 0, health: 0, steering: 0 });

/** A running tally; `figures()` derives the ratios. */
export const createTally = () => {
  const tally = {
    edgeBytes: 0,
    originBytes: 0,
    plays: 0,
    missPlays: noMisses(),
    missBytes: noMisses(),
    fillBytes: 0,
    fills: 0,
    evictions: 0,
  };
  return {
    tally,
    figures: (): SimulatedFigures => {
      const served = tally.edgeBytes + tally.originBytes;
      return {
        ...tally,
        missPlays: { ...tally.missPlays },
        missBytes: { ...tally.missBytes },
        offloadRatio: served === 0 ? null : tally.edgeBytes / served,
        originEgressBytes: tally.originBytes + tally.fillBytes,
      };
    },
  };
};

export type Tally = ReturnType<typeof createTally>['tally'];

/** Tallies by region (a viewer's region, or null when the player gave none), and their sum. */
export const createRegionTallies = () => {
  const byRegion = new Map<string | null, ReturnType<typeof createTally>>();
  const total = createTally();
  const of = (region: string | null) => {
    let entry = byRegion.get(region);
    if (!entry) {
      entry = createTally();
      byRegion.set(region, entry);
    }
    return entry.tally;
  };
  /** Applies one change to the region's tally and to the total. */
  const add = (region: string | null, change: (tally: Tally) => void) => {
    change(of(region));
    change(total.tally);
  };
  return {
    add,
    totals: total.figures,
    /** Regions by name, the region-less last. */
    byRegion: () =>
      [...byRegion]
        .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
        .map(([region, entry]) => ({ region, ...entry.figures() })),
  };
};
