/*
 * Skewed demand, as streaming sees it: a few titles take most of the plays (Zipf: the title
 * ranked k is watched in proportion to 1 / k^exponent). Seeded, so a test or a simulation gets
 * the same plays every run. Pure: no clock, no Math.random.
 */

/** mulberry32: a small, fast, seeded generator of numbers in [0, 1); plenty for test demand. */
export const seededRandom = (seed: number) => {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/** Each rank's share of the plays, most watched first; they sum to 1. */
export const zipfShares = (count: number, exponent = 1) => {
  const weights = Array.from({ length: count }, (_, rank) => 1 / (rank + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
};

export type ZipfDemandOptions<Item> = {
  /** Most watched first. */
  items: readonly Item[];
  /** Plays to draw. */
  plays: number;
  seed: number;
  /** 0: every item alike; 1: classic Zipf; higher: more skewed. */
  exponent?: number;
};

/** `plays` draws from `items`, the first most often. */
export const zipfDemand = <Item>(options: ZipfDemandOptions<Item>): Item[] => {
  const random = seededRandom(options.seed);
  const shares = zipfShares(options.items.length, options.exponent ?? 1);
  return Array.from({ length: options.plays }, () => {
    let draw = random();
    for (const [rank, share] of shares.entries()) {
      draw -= share;
      if (draw < 0) return options.items[rank] as Item;
    }
    return options.items[options.items.length - 1] as Item;
  });
};

/** The items in a seeded order: a region's own taste, so regions need not agree on what is popular. */
export const seededShuffle = <Item>(items: readonly Item[], seed: number): Item[] => {
  const random = seededRandom(seed);
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as Item, shuffled[i] as Item];
  }
  return shuffled;
};
