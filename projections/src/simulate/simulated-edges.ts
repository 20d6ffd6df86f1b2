import {
  chooseEvictions,
  defaultParallelFills,
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
 * desiredHoldings) so the simulator decides exactly as the edges' fill agents do. A fill takes
 * as long as the edge's recorded fills say it does (their bytes over their seconds, from
 * EdgeFillCompleted, each timed from its start): until it lands the package is not served, and
 * not evicted (the edges never serve a partial fill, nor evict one in progress). An edge runs
 * `defaultParallelFills` fills at once, as the fill agent does; the others wait for a free one,
 * so a burst of publishes lands in turns, not all together. An edge with no recorded fill fills
 * at once.
 */

export type SimulatedEdge = {
  edgeId: string;
  region: string;
  capacityBytes: number;
  held: Map<string, HeldPackage>;
  lastServedAt: Map<string, number>;
  /** When each package held has landed (ms); later than now while it is being filled. */
  readyAt: Map<string, number>;
  usedBytes: number;
  /** What its recorded fills took: bytes and seconds, summed. */
  filledBytes: number;
  fillSeconds: number;
  /** When each of its fill slots is free again (ms). */
  fillSlotsFreeAt: number[];
};

/** What the tally counts: fills (bytes the origin sends) and evictions for room. */
export type EdgeHooks = {
  filled: (edge: SimulatedEdge, bytes: number) => void;
  evicted: (edge: SimulatedEdge) => void;
};

export const createSimulatedEdges = (policy: FillPolicy, hooks: EdgeHooks) => {
  const edges = new Map<string, SimulatedEdge>();

  const evict = (edge: SimulatedEdge, key: string) => {
    const item = edge.held.get(key);
    if (!item) return;
    edge.held.delete(key);
    edge.lastServedAt.delete(key);
    edge.readyAt.delete(key);
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
  const fill = (
    edge: SimulatedEdge,
    item: HeldPackage,
    atMs: number,
    scores?: ReadonlyMap<string, number>,
  ): boolean => {
    if (edge.held.has(packageKey(item))) return false;
    if (!mayMakeRoom(edge, item, scores)) return false;
    const busy = new Set([...edge.readyAt].flatMap(([key, readyAt]) => (readyAt > atMs ? [key] : [])));
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
        busy,
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
    const bytesPerSecond = edge.fillSeconds > 0 ? edge.filledBytes / edge.fillSeconds : Number.POSITIVE_INFINITY;
    const slots = edge.fillSlotsFreeAt;
    const slot = slots.indexOf(Math.min(...slots));
    const readyAt = Math.max(atMs, slots[slot] ?? atMs) + (1000 * item.bytes) / bytesPerSecond;
    slots[slot] = readyAt;
    edge.readyAt.set(packageKey(item), readyAt);
    edge.usedBytes += item.bytes;
    hooks.filled(edge, item.bytes);
    return true;
  };

  return {
    edges,
    /** A new edge, returned; undefined for one registered before (a restart, a changed setting). */
    register(edgeId: string, region: string, capacityBytes: number): SimulatedEdge | undefined {
      if (edges.has(edgeId)) return undefined;
      const edge: SimulatedEdge = {
        edgeId,
        region,
        capacityBytes,
        held: new Map(),
        lastServedAt: new Map(),
        readyAt: new Map(),
        usedBytes: 0,
        filledBytes: 0,
        fillSeconds: 0,
        fillSlotsFreeAt: Array.from({ length: defaultParallelFills }, () => Number.NEGATIVE_INFINITY),
      };
      edges.set(edgeId, edge);
      return edge;
    },
    /** A fill the edge recorded (EdgeFillCompleted): how fast it fills. */
    recordedFill(edgeId: string, bytes: number, seconds: number) {
      const edge = edges.get(edgeId);
      if (!edge || seconds <= 0) return;
      edge.filledBytes += bytes;
      edge.fillSeconds += seconds;
    },
    fill,
    /** Whether the edge serves the package at `atMs`: held, and its fill landed. */
    serves(edge: SimulatedEdge, key: string, atMs: number) {
      const readyAt = edge.readyAt.get(key);
      return readyAt !== undefined && readyAt <= atMs;
    },
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
    rebalance(edge: SimulatedEdge, ranked: readonly RankedPackage[], atMs: number): RankedPackage[] {
      let scores: Map<string, number> | undefined;
      const wanted = desiredHoldings(ranked, edge.capacityBytes);
      for (const item of wanted) {
        if (edge.held.has(packageKey(item))) continue;
        scores ??= new Map(ranked.map((entry) => [entry.titleId, entry.score]));
        fill(edge, item, atMs, scores);
      }
      return wanted;
    },
  };
};

export type SimulatedEdges = ReturnType<typeof createSimulatedEdges>;
