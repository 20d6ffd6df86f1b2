import {
  chooseEvictions,
  desiredHoldings,
  type EvictionInput,
  FillLargerThanEdge,
  type HeldPackage,
  InsufficientCapacity,
  type PackageRef,
  packageKey,
  type RankedPackage,
} from '@marquee/domain';

/*
 * How the fill agent applies its policy (the domain's `fill-policy.ts`), as pure functions:
 * what the popularity policy fills ahead, what it stops waiting for, and whether a viewer's miss
 * fills the title it missed.
 */

export type PopularPlan = {
  /** What the edge should hold, most popular first. */
  desired: RankedPackage[];
  /** Of those, what is neither held nor filling: to fill, in predicted order. */
  toFill: RankedPackage[];
  /** Fills queued ahead that the region no longer wants. */
  toDrop: PackageRef[];
};

export const planPopularFills = (input: {
  ranked: readonly RankedPackage[];
  capacityBytes: number;
  held: readonly PackageRef[];
  filling: readonly PackageRef[];
  /** Fills the policy queued before, not started yet. */
  queued: readonly PackageRef[];
}): PopularPlan => {
  const desired = desiredHoldings(input.ranked, input.capacityBytes);
  const wanted = new Set(desired.map(packageKey));
  const present = new Set([...input.held, ...input.filling].map(packageKey));
  return {
    desired,
    toFill: desired.filter((item) => !present.has(packageKey(item))),
    toDrop: input.queued.filter((item) => !wanted.has(packageKey(item))),
  };
};

/** Whether two plans want the same packages: popularity changed notably only when they do not. */
export const sameHoldings = (a: readonly PackageRef[], b: readonly PackageRef[]) => {
  const keys = new Set(a.map(packageKey));
  return a.length === b.length && b.every((item) => keys.has(packageKey(item)));
};

/**
 * Whether a viewer's miss fills the title (it is streamed through either way). Under
 * `popularity`, only when the eviction policy admits it: it is more popular than what it would
 * push out, so a rarely watched title never displaces a favourite.
 */
export const fillsOnDemand = <Candidate extends HeldPackage>(
  input: EvictionInput<Candidate> & { fillOnDemand: boolean },
): boolean => {
  if (!input.fillOnDemand) return false;
  if (input.policy !== 'popularity') return true;
  try {
    chooseEvictions(input);
    return true;
  } catch (error) {
    if (error instanceof InsufficientCapacity || error instanceof FillLargerThanEdge) return false;
    throw error;
  }
};
