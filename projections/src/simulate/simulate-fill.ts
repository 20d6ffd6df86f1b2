import {
  classifyStart,
  createPopularity,
  defaultPopularityModel,
  type FillPolicy,
  fillsAtPublish,
  type LadderRung,
  type PopularityModel,
  packageKey,
  type RankedPackage,
  type SteeringHolder,
} from '@marquee/domain';
import type { EventStore, ProcessorProgress } from '@marquee/platform';
import { createRegionTallies, type SimulatedFigures } from './delivery-figures';
import { type DemandEvent, demandEventTypes, toDemandEvent } from './demand-events';
import { type SimulatedSession, settleSession } from './session-bytes';
import { createSimulatedEdges, type SimulatedEdge } from './simulated-edges';

/*
 * The what-if lab: replays the demand recorded in the log through a fill policy and says what
 * the edges would have offloaded. Plays keep their recorded region, title, encoding, time and
 * the health steering saw; which edges hold what is the simulated policy's. Steering is replayed
 * as the query API steers: healthy holders, the viewer's region first, then by id (the log keeps
 * no load), the origin last. The state (edges, holdings, popularity) is folded from the start of
 * the log; only plays inside `from`/`until` (and `region`) are counted.
 */

export type SimulateFillOptions = {
  policy: FillPolicy;
  /** Each edge's disk; its registered capacity when absent. */
  capacityBytes?: number;
  /** Count plays from this time (inclusive); everything before still warms the caches. */
  from?: Date;
  /** Count plays before this time, and stop reading soon after. */
  until?: Date;
  /** Count only this region's viewers and edges. */
  region?: string;
  popularity?: PopularityModel;
  /** A viewer's miss fills the title on an edge of their region (the edges' FILL_ON_DEMAND, default on). */
  fillOnDemand?: boolean;
  /**
   * Where viewers are sent: `holders` (the default) as the query API steers, to any healthy edge
   * holding the title, the viewer's region first; `regional`, always to their region's edge, which
   * pulls a miss through from the origin (a pull-through cache in front of each region).
   */
  steering?: 'holders' | 'regional';
  /** How often, in the log's time, a popularity edge fills what its region is now predicted to watch. */
  rebalanceMinutes?: number;
};

export type SimulationResult = {
  policy: FillPolicy;
  capacityBytes: number | null;
  from: string | null;
  until: string | null;
  region: string | null;
  /** Events replayed, sessions counted, and of those how many no node reported (their bytes estimated). */
  events: number;
  sessions: number;
  estimatedSessions: number;
  totals: SimulatedFigures;
  byRegion: (SimulatedFigures & { region: string | null })[];
};

/**
 * A popularity edge's fill cycle, as the edges run it: they plan again every five minutes (and
 * as soon as the titles wanted change, which `rebalanceMinutes: 0` replays, at every play).
 * Between cycles a title that turns popular is filled on demand, when a viewer misses it.
 */
export const defaultRebalanceMinutes = 5;

/** Telemetry for a session closes within one interval of its end; a day covers the longest title. */
const sessionWindowMs = 24 * 3_600_000;
const progressEvery = 5_000;

/** What the simulator needs of the event store: the log, and its head for progress. */
export type DemandLog = Pick<EventStore, 'readAll' | 'headPosition'>;

export const simulateFill = async (
  eventStore: DemandLog,
  options: SimulateFillOptions,
  onProgress?: (progress: ProcessorProgress) => void,
): Promise<SimulationResult> => {
  const fromMs = options.from?.getTime() ?? Number.NEGATIVE_INFINITY;
  const untilMs = options.until?.getTime() ?? Number.POSITIVE_INFINITY;
  const inWindow = (atMs: number) => atMs >= fromMs && atMs < untilMs;
  const inRegion = (region: string | null) => options.region === undefined || region === options.region;
  const fillOnDemand = options.fillOnDemand ?? true;
  const rebalanceMs = (options.rebalanceMinutes ?? defaultRebalanceMinutes) * 60_000;

  const tallies = createRegionTallies();
  const popularity = createPopularity(options.popularity ?? defaultPopularityModel);
  let now = Number.NEGATIVE_INFINITY;
  const edges = createSimulatedEdges(options.policy, {
    filled: (edge, bytes) => {
      if (inWindow(now) && inRegion(edge.region))
        tallies.add(edge.region, (tally) => {
          tally.fillBytes += bytes;
          tally.fills++;
        });
    },
    evicted: (edge) => {
      if (inWindow(now) && inRegion(edge.region)) tallies.add(edge.region, (tally) => tally.evictions++);
    },
  });
  /** Package sizes and ladders by `titleId/encodingId`; the package each title plays now. */
  const packages = new Map<string, { bytes: number; ladder: LadderRung[] }>();
  const published = new Map<string, { titleId: string; encodingId: string; bytes: number } | null>();
  /** Each edge's health as the latest steering decision saw it; an edge never seen is up. */
  const health = new Map<string, boolean>();
  const sessions = new Map<string, SimulatedSession>();
  let counted = 0;
  let estimated = 0;
  /** Each popularity edge's last plan: the score of the least popular title it wanted, when, and the room it left. */
  const plans = new Map<string, { leastWanted: number; atMs: number; roomLeft: number }>();
  const halfLifeMs = (options.popularity ?? defaultPopularityModel).halfLifeHours * 3_600_000;
  /** When each region's popularity edges last planned: a play changes only its own region's ranking. */
  const lastRebalance = new Map<string, number>();

  const rankedPackages = (region: string, atMs: number): RankedPackage[] =>
    popularity.ranked(region, atMs).flatMap(({ titleId, score }) => {
      const item = published.get(titleId);
      return item ? [{ ...item, score }] : [];
    });
  const rebalance = (atMs: number, region?: string) => {
    const byRegion = new Map<string, RankedPackage[]>();
    for (const edge of edges.edges.values()) {
      if (region !== undefined && edge.region !== region) continue;
      lastRebalance.set(edge.region, atMs);
      const ranked = byRegion.get(edge.region) ?? rankedPackages(edge.region, atMs);
      byRegion.set(edge.region, ranked);
      const wanted = edges.rebalance(edge, ranked, atMs);
      plans.set(edge.edgeId, {
        leastWanted: wanted.at(-1)?.score ?? 0,
        atMs,
        roomLeft: edge.capacityBytes - wanted.reduce((sum, item) => sum + item.bytes, 0),
      });
    }
  };
  /**
   * Whether a play of a title can change what a popularity edge of the region wants: only if the
   * title's score reaches that of the least popular title it wanted at its last plan (scores all
   * decay alike), or the title fits in the room that plan left. Otherwise planning again would
   * want the same titles, so it is skipped: a year of plays is replayed in seconds.
   */
  const mayChangePlan = (region: string | null, titleId: string, atMs: number) => {
    const bytes = published.get(titleId)?.bytes ?? Number.POSITIVE_INFINITY;
    for (const edge of edges.edges.values()) {
      if (region !== null && edge.region !== region) continue;
      const plan = plans.get(edge.edgeId);
      if (!plan) return true;
      const leastWanted = plan.leastWanted * 2 ** (-(atMs - plan.atMs) / halfLifeMs);
      if (popularity.score(region, titleId, atMs) + 1 >= leastWanted || bytes <= plan.roomLeft) return true;
    }
    return false;
  };
  /**
   * Whether every edge of the region already holds the package. Then a play of it changes no plan:
   * every score decays at the same rate, so the ranking moves only where a title is played, and a
   * title the region's edges hold already is filled nowhere new by moving up.
   */
  const heldThroughout = (region: string | null, key: string) => {
    let any = false;
    for (const edge of edges.edges.values()) {
      if (region !== null && edge.region !== region) continue;
      if (!edge.held.has(key)) return false;
      any = true;
    }
    return any;
  };
  /** What chooseEvictions weighs under popularity: the scores of what the edge holds and of the incoming title. */
  const scoresFor = (edge: SimulatedEdge, titleId: string, atMs: number) =>
    new Map(
      [titleId, ...[...edge.held.values()].map((item) => item.titleId)].map((id) => [
        id,
        popularity.score(edge.region, id, atMs),
      ]),
    );
  const settle = (session: SimulatedSession) => {
    sessions.delete(session.sessionId);
    if (!session.counted) return;
    counted++;
    if (!session.reported) estimated++;
    const bytes = settleSession(session);
    tallies.add(session.region, (tally) => {
      tally.edgeBytes += bytes.edgeBytes;
      tally.originBytes += bytes.originBytes;
      tally.missBytes[bytes.missClass] += bytes.originBytes;
    });
  };

  const play = (data: Extract<DemandEvent, { type: 'PlaybackStarted' }>['data'], atMs: number) => {
    for (const holder of data.holders ?? []) health.set(holder.edgeId, holder.healthy);
    const item = { titleId: data.titleId, encodingId: data.encodingId };
    const key = packageKey(item);
    // A play raises only its own title, so only that title can join what its region's edges want;
    // with fills on demand the miss below fills it by the same rule a plan would (on one edge).
    const planCanChange =
      options.policy === 'popularity' &&
      (!fillOnDemand || data.region === null) &&
      !heldThroughout(data.region, key) &&
      mayChangePlan(data.region, data.titleId, atMs);
    if (planCanChange) {
      // A play with no region counts in every region.
      if (data.region === null) rebalance(atMs);
      else if (atMs - (lastRebalance.get(data.region) ?? Number.NEGATIVE_INFINITY) >= rebalanceMs)
        rebalance(atMs, data.region);
    }
    const isLocal = (edge: SimulatedEdge) => data.region === null || edge.region === data.region;
    const holding = [...edges.edges.values()].filter((edge) => edges.serves(edge, key, atMs));
    const holders: SteeringHolder[] = holding.map((edge) => ({
      edgeId: edge.edgeId,
      region: edge.region,
      healthy: health.get(edge.edgeId) ?? true,
    }));
    const offered = holding
      .filter((edge) => (health.get(edge.edgeId) ?? true) && (options.steering !== 'regional' || isLocal(edge)))
      .sort((a, b) => Number(isLocal(b)) - Number(isLocal(a)) || a.edgeId.localeCompare(b.edgeId));
    const startClass = classifyStart({ region: data.region, offered: offered.map((edge) => edge.edgeId), holders });
    const servingEdge = offered[0];
    if (servingEdge) edges.served(servingEdge, item, atMs);
    const size = packages.get(key);
    if (startClass === 'content' && fillOnDemand && size) {
      // The miss fills the title on the region's healthy edge with the most room (ties by id).
      const local = [...edges.edges.values()]
        .filter((edge) => isLocal(edge) && (health.get(edge.edgeId) ?? true))
        .sort(
          (a, b) => b.capacityBytes - b.usedBytes - (a.capacityBytes - a.usedBytes) || a.edgeId.localeCompare(b.edgeId),
        );
      const target = local[0];
      const scores = options.policy === 'popularity' && target ? scoresFor(target, data.titleId, atMs) : undefined;
      if (target) edges.fill(target, { ...item, bytes: size.bytes }, atMs, scores, true);
    }
    popularity.play(data.region, data.titleId, atMs);

    const isCounted = inWindow(atMs) && inRegion(data.region);
    if (isCounted)
      tallies.add(data.region, (tally) => {
        tally.plays++;
        if (startClass) tally.missPlays[startClass]++;
      });
    const recorded = data.holders
      ? classifyStart({ region: data.region, offered: data.edges, holders: data.holders }) === null
      : false;
    sessions.set(data.sessionId, {
      sessionId: data.sessionId,
      region: data.region,
      startMs: atMs,
      counted: isCounted,
      startClass,
      servedBy: servingEdge ? 'edge' : 'origin',
      recordedOnEdge: recorded,
      reportedBytes: 0,
      reportedOriginBytes: 0,
      reported: false,
      ladder: size?.ladder,
      maxHeight: data.maxHeight,
      durationSeconds: data.durationSeconds,
      resumeFromSeconds: data.resumeFromSeconds,
      watchedSeconds: null,
      lastPositionSeconds: null,
    });
  };

  const apply = (event: DemandEvent, atMs: number) => {
    edges.advanceTo(atMs);
    switch (event.type) {
      case 'EdgeRegistered': {
        const edge = edges.register(
          event.data.edgeId,
          event.data.region,
          options.capacityBytes ?? event.data.capacityBytes,
        );
        // A new edge follows the publishes from the start of the log: under fill-all it fills
        // what is published already, in the order it was published.
        if (edge && fillsAtPublish(options.policy))
          for (const item of published.values()) if (item) edges.fill(edge, item, atMs);
        // Under popularity it plans as it starts, from what the region has watched so far.
        if (edge && options.policy === 'popularity') rebalance(atMs, edge.region);
        return;
      }
      case 'EdgeFillCompleted':
        // The speed of the upstream link: what was fetched over the seconds, not the files a revision took from its own disk.
        edges.recordedFill(event.data.edgeId, event.data.downloadedBytes ?? event.data.bytes, event.data.seconds, atMs);
        return;
      case 'EncodingSucceeded':
        packages.set(packageKey(event.data), { bytes: event.data.packageIndex.bytes, ladder: event.data.ladder });
        return;
      case 'TitlePublished': {
        const { titleId, encodingId } = event.data;
        const size = packages.get(packageKey(event.data));
        // A package of unknown size (its encoding is not in the log) cannot be filled.
        published.set(titleId, size ? { titleId, encodingId, bytes: size.bytes } : null);
        popularity.published(titleId, atMs);
        edges.dropTitle(titleId, encodingId);
        if (fillsAtPublish(options.policy) && size)
          for (const edge of edges.edges.values()) edges.fill(edge, { titleId, encodingId, bytes: size.bytes }, atMs);
        if (options.policy === 'popularity') rebalance(atMs);
        return;
      }
      case 'TitleUnpublished':
        published.delete(event.data.titleId);
        popularity.withdrawn(event.data.titleId);
        edges.dropTitle(event.data.titleId);
        return;
      case 'PlaybackStarted':
        play(event.data, atMs);
        return;
      case 'PlaybackQoEReported': {
        const session = sessions.get(event.data.sessionId);
        if (session) session.watchedSeconds = event.data.watchedSeconds;
        return;
      }
      case 'PlaybackStopped': {
        const session = sessions.get(event.data.sessionId);
        if (session) session.lastPositionSeconds = event.data.positionSeconds;
        return;
      }
      case 'ServingReported':
        for (const row of event.data.sessions) {
          const session = sessions.get(row.sessionId);
          if (!session) continue;
          session.reported = true;
          session.reportedBytes += row.hitBytes + row.missBytes;
          if (event.data.role === 'origin') session.reportedOriginBytes += row.hitBytes + row.missBytes;
        }
        return;
    }
  };

  const head = await eventStore.headPosition();
  const startedAt = Date.now();
  let events = 0;
  let position = 0;
  const report = () => onProgress?.({ from: 0, head, position, events, startedAt });
  for await (const recorded of eventStore.readAll({ filter: { eventTypes: demandEventTypes } })) {
    const event = toDemandEvent(recorded);
    const atMs = Date.parse(event.data.at);
    // Past `until`, only the telemetry of sessions still open matters.
    if (atMs >= untilMs + sessionWindowMs) break;
    now = atMs;
    position = recorded.position;
    events++;
    apply(event, atMs);
    // Sessions are in start order: settle those whose telemetry has all come in.
    for (const session of sessions.values()) {
      if (session.startMs > atMs - sessionWindowMs) break;
      settle(session);
    }
    if (events % progressEvery === 0) report();
  }
  for (const session of [...sessions.values()]) settle(session);
  position = head;
  report();

  return {
    policy: options.policy,
    capacityBytes: options.capacityBytes ?? null,
    from: options.from?.toISOString() ?? null,
    until: options.until?.toISOString() ?? null,
    region: options.region ?? null,
    events,
    sessions: counted,
    estimatedSessions: estimated,
    totals: tallies.totals(),
    byRegion: tallies.byRegion(),
  };
};
