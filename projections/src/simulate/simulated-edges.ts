import {
  chooseEvictions,
  desiredHoldings,
  FillLargerThanEdge,
  type FillPolicy,
  type HeldPackage,
  InsufficientCapacity,
  type PackageRef,
  packageKey,
  type RankedPackage,
} from '@marquee/domain';

/*
 * The edges as the simulator sees them: what each holds, when each package was last served, and
 * the fills and evictions a policy makes, decided by the domain's own functions (chooseEvictions,
 * desiredHoldings) so the simulator decides exactly as the edges' fill agents do. Fills are
 * instant: a simulated hour has no download time, and the edges fill in seconds what viewers
 * watch for hours.
 */

export type SimulatedEdge = {
  edgeId: string;
  region: string;
  capacityBytes: number;
  held: Map<string, HeldPackage>;
  lastServedAt: Map<string, number>;
  usedBytes: number;
};

/** What the tally counts: fills (bytes the origin sends) and evictions for room. */
export type EdgeHooks = {
  filled: (edge: SimulatedEdge, bytes: number) => void;
  evicted: (edge: SimulatedEdge) => void;
};

const nothing: ReadonlySet<string> = new Set();

export const createSimulatedEdges = (policy: FillPolicy, hooks: EdgeHooks) => {
  const edges = new Map<string, SimulatedEdge>();

  const evict = (edge: SimulatedEdge, key: string) => {
    const item = edge.held.get(key);
    if (!item) return;
    edge.held.delete(key);
    edge.lastServedAt.delete(key);
    edge.usedBytes -= item.bytes;
  };

  /**
   * Whether chooseEvictions can make room, asked before it is: a replay asks it at every miss,
   * and under popularity most misses are refused, which as a thrown error costs a stack trace.
   * The same rule as chooseEvictions: the package fits the disk, and the free bytes plus those of
   * the packages it may evict (under popularity, titles less popular than the incoming) suffice.
   */
  const mayMakeRoom = (edge: SimulatedEdge, item: HeldPackage, scores?: ReadonlyMap<string, number>) => {
    if (item.bytes > edge.capacityBytes) return false;
    let room = edge.capacityBytes - edge.usedBytes;
    if (room >= item.bytes || policy !== 'popularity') return true;
    const incomingScore = scores?.get(item.titleId) ?? 0;
    for (const held of edge.held.values())
      if ((scores?.get(held.titleId) ?? 0) < incomingScore || held.titleId === item.titleId) room += held.bytes;
    return room >= item.bytes;
  };

  /** Fills `item` on `edge`, making room as the policy allows; false when it may not. */
  const fill = (edge: SimulatedEdge, item: HeldPackage, scores?: ReadonlyMap<string, number>): boolean => {
    if (edge.held.has(packageKey(item))) return false;
    if (!mayMakeRoom(edge, item, scores)) return false;
    let victims: HeldPackage[];
    try {
      victims = chooseEvictions({
        policy,
        held: [...edge.held.values()],
        capacityBytes: edge.capacityBytes,
        freeBytes: edge.capacityBytes - edge.usedBytes,
        incoming: item,
        lastServedAt: edge.lastServedAt,
        scores,
        busy: nothing,
      });
    } catch (error) {
      // The edge refuses it as the real one would: too large, or nothing it may evict for it.
      if (error instanceof FillLargerThanEdge || error instanceof InsufficientCapacity) return false;
      throw error;
    }
    for (const victim of victims) {
      evict(edge, packageKey(victim));
      hooks.evicted(edge);
    }
    edge.held.set(packageKey(item), { titleId: item.titleId, encodingId: item.encodingId, bytes: item.bytes });
    edge.usedBytes += item.bytes;
    hooks.filled(edge, item.bytes);
    return true;
  };

  return {
    edges,
    register(edgeId: string, region: string, capacityBytes: number) {
      if (!edges.has(edgeId))
        edges.set(edgeId, { edgeId, region, capacityBytes, held: new Map(), lastServedAt: new Map(), usedBytes: 0 });
    },
    fill,
    /** A title withdrawn, or replaced by a newer encoding: every edge drops the packages no one may play now. */
    dropTitle(titleId: string, keepEncodingId?: string) {
      for (const edge of edges.values())
        for (const item of [...edge.held.values()])
          if (item.titleId === titleId && item.encodingId !== keepEncodingId) evict(edge, packageKey(item));
    },
    served(edge: SimulatedEdge, item: PackageRef, atMs: number) {
      edge.lastServedAt.set(packageKey(item), atMs);
    },
    /**
     * The popularity policy's proposal for one edge: the packages it wants, in predicted order,
     * each filled while the policy lets it make room (only less popular titles leave).
     */
    rebalance(edge: SimulatedEdge, ranked: readonly RankedPackage[]) {
      let scores: Map<string, number> | undefined;
      for (const item of desiredHoldings(ranked, edge.capacityBytes)) {
        if (edge.held.has(packageKey(item))) continue;
        scores ??= new Map(ranked.map((entry) => [entry.titleId, entry.score]));
        fill(edge, item, scores);
      }
    },
  };
};

export type SimulatedEdges = ReturnType<typeof createSimulatedEdges>;
