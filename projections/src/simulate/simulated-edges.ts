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
 * desiredHoldings) so the simulator decides exactly as the edges' fill agents do.
 *
 * Fills take time. Each edge has one link upstream, as fast as its recorded fills (from
 * EdgeFillCompleted) say: their bytes over the time the link was busy with at least one of them,
 * so two fills that shared it are not taken for a slow link. An edge runs `defaultParallelFills`
 * fills at once, as the fill agent does, sharing the link alike; the others wait in its queue (a
 * viewer's miss first, publishes and plans behind) and claim their room only when they start,
 * evicting what is held then: a burst of publishes lands in turns, each making room from those
 * landed before it. Until it lands a package is not served, and not evicted (the edges never serve
 * a partial fill, nor evict one in progress); it counts as served when it lands, as on the edge's
 * disk. An edge with no recorded fill fills at once.
 */

export type SimulatedEdge = {
  edgeId: string;
  region: string;
  capacityBytes: number;
  held: Map<string, HeldPackage>;
  lastServedAt: Map<string, number>;
  /** When each package held has landed (ms); infinity while it is being filled. */
  readyAt: Map<string, number>;
  usedBytes: number;
  /** Its recorded fills: the bytes they fetched, and the time the link was busy with them (ms). */
  filledBytes: number;
  linkBusyMs: number;
  /** The recorded fills' spans, merged, recent ones only: where a later one overlaps them. */
  linkBusySpans: [number, number][];
  /** Fills running, with the bytes each has still to fetch, as of `clockMs`. */
  filling: { item: HeldPackage; remaining: number }[];
  clockMs: number;
  /** Fills waiting for a free slot, in the order they start. */
  queue: QueuedFill[];
};

type QueuedFill = { item: HeldPackage; scores: ReadonlyMap<string, number> | undefined };

/** How far back a recorded fill's span is kept to merge with later ones: longer than any fill. */
const busySpanMemoryMs = 6 * 3_600_000;

/** Adds a recorded fill's span to the edge's busy time, counting only what no earlier fill covered. */
const recordBusySpan = (edge: SimulatedEdge, startMs: number, endMs: number) => {
  const spans = edge.linkBusySpans;
  let from = startMs;
  let to = endMs;
  let covered = 0;
  // Recorded fills arrive as they complete, so those they overlap are at the end of the list.
  while (spans.length > 0) {
    const last = spans[spans.length - 1] as [number, number];
    if (last[1] < from) break;
    covered += Math.max(0, Math.min(last[1], to) - Math.max(last[0], from));
    from = Math.min(from, last[0]);
    to = Math.max(to, last[1]);
    spans.pop();
  }
  spans.push([from, to]);
  edge.linkBusyMs += endMs - startMs - covered;
  while ((spans[0]?.[1] ?? endMs) < endMs - busySpanMemoryMs) spans.shift();
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
    edge.filling = edge.filling.filter((fill) => packageKey(fill.item) !== key);
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

  const land = (edge: SimulatedEdge, item: HeldPackage, atMs: number) => {
    edge.readyAt.set(packageKey(item), atMs);
    // The edge's disk counts a package as served when it lands, so it is not the first to go.
    edge.lastServedAt.set(packageKey(item), atMs);
  };

  /** Starts filling `item` at `atMs`, making room as the policy allows; false when it may not. */
  const start = (
    edge: SimulatedEdge,
    item: HeldPackage,
    atMs: number,
    scores: ReadonlyMap<string, number> | undefined,
  ): boolean => {
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
    const held = { titleId: item.titleId, encodingId: item.encodingId, bytes: item.bytes };
    edge.held.set(packageKey(item), held);
    // An edge with no recorded fill fills at once.
    if (edge.linkBusyMs > 0) {
      edge.readyAt.set(packageKey(item), Number.POSITIVE_INFINITY);
      edge.filling.push({ item: held, remaining: item.bytes });
    } else land(edge, held, atMs);
    edge.usedBytes += item.bytes;
    hooks.filled(edge, item.bytes);
    return true;
  };

  /**
   * Runs the edge's fills up to `atMs`: those running share the link and land in turn, and as
   * each lands the next in the queue starts, at that moment, making room from what is held then.
   */
  const advance = (edge: SimulatedEdge, atMs: number) => {
    const bytesPerMs = edge.filledBytes / edge.linkBusyMs;
    for (;;) {
      while (edge.filling.length < defaultParallelFills && edge.queue.length > 0) {
        const next = edge.queue.shift() as QueuedFill;
        start(edge, next.item, edge.clockMs, next.scores);
      }
      if (edge.filling.length === 0 || edge.clockMs >= atMs) break;
      // Each running fill fetches alike: the one with least to go lands first, when it has it all.
      const soonest = Math.min(...edge.filling.map((fill) => fill.remaining));
      const landsIn = (soonest * edge.filling.length) / bytesPerMs;
      if (edge.clockMs + landsIn > atMs) {
        const fetched = ((atMs - edge.clockMs) * bytesPerMs) / edge.filling.length;
        for (const fill of edge.filling) fill.remaining -= fetched;
        break;
      }
      edge.clockMs += landsIn;
      for (const fill of edge.filling) fill.remaining -= soonest;
      for (const fill of edge.filling) if (fill.remaining <= 0) land(edge, fill.item, edge.clockMs);
      edge.filling = edge.filling.filter((fill) => fill.remaining > 0);
    }
    edge.clockMs = Math.max(edge.clockMs, atMs);
  };

  /**
   * Fills `item` on `edge`: at once when a slot is free and nothing waits, else queued (`first`,
   * a viewer's miss, ahead of the rest). False when the edge holds it or has it queued already
   * (a miss moves a queued one to the front), or the policy can never make room for it.
   */
  const fill = (
    edge: SimulatedEdge,
    item: HeldPackage,
    atMs: number,
    scores?: ReadonlyMap<string, number>,
    first = false,
  ): boolean => {
    const key = packageKey(item);
    if (edge.held.has(key)) return false;
    advance(edge, atMs);
    const waiting = edge.queue.findIndex((queued) => packageKey(queued.item) === key);
    if (waiting >= 0) {
      if (first && waiting > 0) edge.queue.unshift(...edge.queue.splice(waiting, 1));
      return false;
    }
    if (!mayMakeRoom(edge, item, scores)) return false;
    if (edge.queue.length === 0 && edge.filling.length < defaultParallelFills) {
      return start(edge, item, atMs, scores);
    }
    const queued = { item, scores };
    if (first) edge.queue.unshift(queued);
    else edge.queue.push(queued);
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
        linkBusyMs: 0,
        linkBusySpans: [],
        filling: [],
        clockMs: Number.NEGATIVE_INFINITY,
        queue: [],
      };
      edges.set(edgeId, edge);
      return edge;
    },
    /** A fill the edge recorded (EdgeFillCompleted at `endMs`): how fast its link is. */
    recordedFill(edgeId: string, bytes: number, seconds: number, endMs: number) {
      const edge = edges.get(edgeId);
      if (!edge || seconds <= 0) return;
      edge.filledBytes += bytes;
      recordBusySpan(edge, endMs - seconds * 1000, endMs);
    },
    fill,
    /** Runs every edge's fills up to `atMs`, before an event there: what landed has, and what waited for its slot has started. */
    advanceTo(atMs: number) {
      for (const edge of edges.values()) if (edge.filling.length > 0) advance(edge, atMs);
    },
    /** Whether the edge serves the package at `atMs`: held, and its fill landed. */
    serves(edge: SimulatedEdge, key: string, atMs: number) {
      advance(edge, atMs);
      const readyAt = edge.readyAt.get(key);
      return readyAt !== undefined && readyAt <= atMs;
    },
    /** A title withdrawn, or replaced by a newer encoding: every edge drops the packages no one may play now. */
    dropTitle(titleId: string, keepEncodingId?: string) {
      const dropped = (item: PackageRef) => item.titleId === titleId && item.encodingId !== keepEncodingId;
      for (const edge of edges.values()) {
        for (const item of [...edge.held.values()]) if (dropped(item)) evict(edge, packageKey(item));
        edge.queue = edge.queue.filter((queued) => !dropped(queued.item));
      }
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
