/*
 * The demand the demo platform plays on its first start, so the analytics page has offload and
 * misses to show: a few dozen short plays, skewed as real demand is (a few titles most of the
 * plays, Zipf-like), from the regions that have an edge and from one that has none, whose plays
 * are content misses. Fixed, not random: every fresh demo shows the same picture.
 */

export type DemandTitle = { titleId: string; name: string };
export type DemandPlay = { titleId: string; name: string; region: string };

export const demoDemandShape = {
  plays: 36,
  /** eu and us have an edge in `npm start`; ap has none. */
  regions: [
    { region: 'eu', weight: 5 },
    { region: 'us', weight: 3 },
    { region: 'ap', weight: 2 },
  ],
  /** The n-th title (in the seed's order) is played about 1/n as often as the first. */
  zipfExponent: 1,
};

/**
 * `count` picks among weighted choices, spread as evenly as their weights allow (the smooth
 * weighted round robin nginx balances upstreams with): weights 5, 3, 2 over ten picks give
 * each exactly its share, interleaved rather than in runs.
 */
export const weightedSequence = (weights: readonly number[], count: number): number[] => {
  const total = weights.reduce((sum, weight) => sum + Math.max(0, weight), 0);
  if (total <= 0) return [];
  const current = weights.map(() => 0);
  const picks: number[] = [];
  for (let pick = 0; pick < count; pick++) {
    let best = 0;
    for (const [index, weight] of weights.entries()) {
      current[index] = (current[index] ?? 0) + Math.max(0, weight);
      if ((current[index] ?? 0) > (current[best] ?? 0)) best = index;
    }
    current[best] = (current[best] ?? 0) - total;
    picks.push(best);
  }
  return picks;
};

/** Which title each play is of and where its viewer is, in the order they are played. */
export const demoDemandPlan = (
  titles: readonly DemandTitle[],
  shape: typeof demoDemandShape = demoDemandShape,
): DemandPlay[] => {
  if (titles.length === 0) return [];
  const titlePicks = weightedSequence(
    titles.map((_, rank) => 1 / (rank + 1) ** shape.zipfExponent),
    shape.plays,
  );
  const regionPicks = weightedSequence(
    shape.regions.map((entry) => entry.weight),
    shape.plays,
  );
  return titlePicks.map((titleIndex, play) => {
    const title = titles[titleIndex] as DemandTitle;
    const region = shape.regions[regionPicks[play] ?? 0]?.region as string;
    return { titleId: title.titleId, name: title.name, region };
  });
};
