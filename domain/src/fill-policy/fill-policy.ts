import { FillLargerThanEdge, InsufficientCapacity } from '../edge/edge-errors';

/*
 * Which titles an edge holds: a policy, as pure functions, so the edges' fill agent and the
 * analysts' simulator run the very same decisions.
 * - fill-all: every publish is filled; room is made by evicting the least recently served.
 * - lru: nothing is filled ahead; a viewer's miss fills the title; the least recently served goes.
 * - popularity: the region's most popular titles are filled ahead, as many as fit; a package is
 *   evicted only for a more popular one, the least popular first.
 */

export const fillPolicies = ['fill-all', 'lru', 'popularity'] as const;
export type FillPolicy = (typeof fillPolicies)[number];

export type PackageRef = { titleId: string; encodingId: string };
export type HeldPackage = PackageRef & { bytes: number };

export const packageKey = (item: PackageRef) => `${item.titleId}/${item.encodingId}`;

/** How many fills an edge runs at once; the rest wait their turn. */
export const defaultParallelFills = 2;

/** Whether a policy fills a title when it is published, before anyone has asked for it. */
export const fillsAtPublish = (policy: FillPolicy) => policy === 'fill-all';

export type EvictionInput<Candidate extends HeldPackage> = {
  policy: FillPolicy;
  /** What the edge holds. */
  held: readonly Candidate[];
  capacityBytes: number;
  /** Capacity less what is held and what fills in progress have claimed. */
  freeBytes: number;
  incoming: HeldPackage;
  /** When each package (`titleId/encodingId`) was last served, in ms; one never served goes first. */
  lastServedAt: ReadonlyMap<string, number>;
  /** Predicted popularity by title id (popularity policy); a title not in it scores 0. */
  scores?: ReadonlyMap<string, number>;
  /** Packages that must stay (being filled). */
  busy: ReadonlySet<string>;
};

/**
 * The packages to evict, in order, to make room for `incoming`. Refuses (typed) a package larger
 * than the edge, or one no allowed eviction makes room for: under `popularity` only titles less
 * popular than the incoming one may go, so a rarely watched miss never pushes out a favourite.
 */
export const chooseEvictions = <Candidate extends HeldPackage>(input: EvictionInput<Candidate>): Candidate[] => {
  const incomingBytes = input.incoming.bytes;
  if (incomingBytes > input.capacityBytes) throw new FillLargerThanEdge(incomingBytes, input.capacityBytes);
  const score = (item: PackageRef) => input.scores?.get(item.titleId) ?? 0;
  const byPopularity = input.policy === 'popularity';
  const incomingScore = score(input.incoming);
  // Keys and scores once per package, not once per comparison: a replay asks this at every miss.
  const candidates = input.held
    .flatMap((entry) => {
      const key = packageKey(entry);
      const entryScore = score(entry);
      const mayGo =
        !input.busy.has(key) &&
        (!byPopularity || entryScore < incomingScore || entry.titleId === input.incoming.titleId);
      return mayGo ? [{ entry, served: input.lastServedAt.get(key) ?? 0, score: entryScore }] : [];
    })
    .sort((a, b) => (byPopularity ? a.score - b.score : 0) || a.served - b.served)
    .map(({ entry }) => entry);
  const victims: Candidate[] = [];
  let free = input.freeBytes;
  for (const candidate of candidates) {
    if (free >= incomingBytes) break;
    victims.push(candidate);
    free += candidate.bytes;
  }
  if (free < incomingBytes) throw new InsufficientCapacity(incomingBytes, free);
  return victims;
};

export type RankedPackage = HeldPackage & { score: number };

/**
 * What the popularity policy wants an edge to hold: the titles in predicted order (most popular
 * first), each taken while it fits in what capacity is left, skipping one too large to fit and
 * going on with smaller ones. Titles with no predicted play (score 0) are never filled ahead.
 */
export const desiredHoldings = <Item extends RankedPackage>(ranked: readonly Item[], capacityBytes: number): Item[] => {
  const wanted: Item[] = [];
  let left = capacityBytes;
  for (const item of ranked.toSorted((a, b) => b.score - a.score || a.titleId.localeCompare(b.titleId))) {
    if (item.score <= 0) break;
    if (item.bytes > left) continue;
    wanted.push(item);
    left -= item.bytes;
  }
  return wanted;
};
