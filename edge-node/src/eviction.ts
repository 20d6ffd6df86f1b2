import { FillLargerThanEdge, InsufficientCapacity } from '@marquee/domain';

/*
 * Which packages an edge evicts to make room for one more: the least recently served first,
 * never one a fill is still using, and no more than the incoming package needs. A policy, so a
 * pure function: what the disk holds and when each was last served in, the titles to evict out.
 *
 * Bytes are the domain's: each package counts whole, even where it shares files (hard links)
 * with a revision of the same title. So what is counted as used is never less than what the disk
 * holds, and evicting one of two revisions frees at most what it is counted for: never overstated.
 */

export type EvictionCandidate = { titleId: string; encodingId: string; bytes: number };

export type EvictionInput<Candidate extends EvictionCandidate> = {
  /** What the edge holds, by its stream. */
  held: readonly Candidate[];
  capacityBytes: number;
  /** Capacity less what is held and what fills in progress have claimed. */
  freeBytes: number;
  incomingBytes: number;
  /** When each package (`titleId/encodingId`) was last served, in ms; one never served goes first. */
  lastServedAt: ReadonlyMap<string, number>;
  /** Packages that must stay (being filled). */
  busy: ReadonlySet<string>;
};

export const packageKey = (item: { titleId: string; encodingId: string }) => `${item.titleId}/${item.encodingId}`;

/** The packages to evict, in order; refuses (typed) a package larger than the edge, or one no eviction makes room for. */
export const chooseEvictions = <Candidate extends EvictionCandidate>(input: EvictionInput<Candidate>): Candidate[] => {
  const { incomingBytes } = input;
  if (incomingBytes > input.capacityBytes) throw new FillLargerThanEdge(incomingBytes, input.capacityBytes);
  const candidates = input.held
    .filter((entry) => !input.busy.has(packageKey(entry)))
    .toSorted((a, b) => (input.lastServedAt.get(packageKey(a)) ?? 0) - (input.lastServedAt.get(packageKey(b)) ?? 0));
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
