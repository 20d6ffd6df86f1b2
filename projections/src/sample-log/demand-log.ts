import { type MarqueeEvent, streamName } from '@marquee/domain';
import { deterministicId, type EventStore, toEventsToAppend } from '@marquee/platform';

/*
 * A year of CDN demand for the fill simulator's tests and benchmark: edges in a few regions,
 * titles released through the year, and plays whose choice of title is skewed (a few titles take
 * most plays), differs by region and fades with a title's age, as catalogues do. The run it
 * records is fill-all on disks that hold everything: every edge holds every published title,
 * steering offers the healthy ones, the viewer's region first, and each session's bytes are
 * reported by the node that served it (ServingReported). An outage makes an edge unhealthy for a
 * while. Seeded, and every event lands in time order, as a live log's would.
 */

export type DemandLogOptions = {
  seed?: number;
  regions?: readonly string[];
  titles?: number;
  plays?: number;
  /** The log's first moment; plays spread over `days` after it. */
  start?: Date;
  days?: number;
  /** Package sizes are drawn between these. */
  packageBytes?: { min: number; max: number };
  /** An edge (`edge-<region>`) down between two moments. */
  outages?: { edgeId: string; from: Date; until: Date }[];
  /** Heartbeats per session (PlaybackProgressed), which the simulator never reads. */
  heartbeats?: number;
  onProgress?: (written: number) => void;
};

type ServingReport = Extract<MarqueeEvent, { type: 'ServingReported' }>;
type Append = { stream: string; events: MarqueeEvent[]; id?: string; atMs: number };

const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const sha = (n: number) => n.toString(16).padStart(64, '0');
const dayMs = 86_400_000;
const ladder = [360, 720, 1080].map((height) => ({
  width: Math.round((height * 16) / 9),
  height,
  videoBitrateKbps: height * 4,
}));

/** The edge of a region in a generated log. */
export const demandEdgeId = (region: string) => `edge-${region}`;

export const writeDemandLog = async (store: Pick<EventStore, 'appendToStream'>, options: DemandLogOptions = {}) => {
  const random = mulberry32(options.seed ?? 7);
  const regions = options.regions ?? ['eu', 'us', 'ap'];
  const titleCount = options.titles ?? 200;
  const playCount = options.plays ?? 30_000;
  const startMs = (options.start ?? new Date('2025-01-01T00:00:00Z')).getTime();
  const spanMs = (options.days ?? 365) * dayMs;
  const sizes = options.packageBytes ?? { min: 1_000_000_000, max: 3_000_000_000 };
  const heartbeats = options.heartbeats ?? 4;
  const iso = (ms: number) => new Date(ms).toISOString();

  let written = 0;
  let pending: Promise<unknown>[] = [];
  const write = async (item: Append) => {
    const events = toEventsToAppend(item.stream, item.events);
    if (item.id && events[0]) events[0].id = item.id;
    pending.push(store.appendToStream(item.stream, events));
    written += events.length;
    // Many appends in flight share the store's group commit.
    if (pending.length >= 64) {
      await Promise.all(pending);
      pending = [];
      options.onProgress?.(written);
    }
  };
  /** Events due later (a session's end and its telemetry), written once the clock reaches them. */
  let later: Append[] = [];
  const reports = new Map<string, ServingReport>();
  const writeDue = async (untilMs: number) => {
    const due = later.filter((item) => item.atMs <= untilMs).sort((a, b) => a.atMs - b.atMs);
    later = later.filter((item) => item.atMs > untilMs);
    for (const item of due) {
      if (item.id) reports.delete(item.id);
      await write(item);
    }
  };

  const edges = regions.map((region, i) => ({ edgeId: demandEdgeId(region), region, i }));
  for (const edge of edges)
    await write({
      stream: streamName('edge', edge.edgeId),
      atMs: startMs,
      events: [
        {
          type: 'EdgeRegistered',
          data: {
            edgeId: edge.edgeId,
            url: `http://127.0.0.1:${8101 + edge.i}`,
            region: edge.region,
            capacityBytes: 1_000_000_000_000_000,
            upstream: 'http://127.0.0.1:8100',
            at: iso(startMs),
          },
        },
      ],
    });

  // A third of the catalogue is published in the first minutes; the rest is released through the year.
  const titles = Array.from({ length: titleCount }, (_, n) => ({
    titleId: `title${n}`,
    encodingId: `enc${n}`,
    bytes: Math.round(sizes.min + random() * (sizes.max - sizes.min)),
    durationSeconds: 1_200 + Math.floor(random() * 6_000),
    releasedMs: n < titleCount / 3 ? startMs + n * 1_000 : startMs + Math.floor(random() * spanMs),
    /** How much each region likes it: a shared appeal, and a regional taste. */
    appeal: regions.map(() => 0),
  }));
  const shared = titles.map(() => random());
  for (const [n, title] of titles.entries())
    title.appeal = regions.map(() => {
      const rank = 1 + Math.floor((0.6 * (shared[n] ?? 0) + 0.4 * random()) * titleCount);
      return 1 / rank ** 1.1;
    });
  titles.sort((a, b) => a.releasedMs - b.releasedMs || a.titleId.localeCompare(b.titleId));

  const isDown = (edgeId: string, atMs: number) =>
    (options.outages ?? []).some(
      (outage) => outage.edgeId === edgeId && atMs >= outage.from.getTime() && atMs < outage.until.getTime(),
    );
  const released: typeof titles = [];
  let nextRelease = 0;
  const release = async (untilMs: number) => {
    for (; nextRelease < titles.length && (titles[nextRelease]?.releasedMs ?? 0) <= untilMs; nextRelease++) {
      const title = titles[nextRelease] as (typeof titles)[number];
      const n = Number(title.titleId.slice(5));
      const at = iso(title.releasedMs);
      const manifestPath = `${title.titleId}/${title.encodingId}/manifest.mpd`;
      await write({
        stream: streamName('title', title.titleId),
        atMs: title.releasedMs,
        events: [
          {
            type: 'EncodingSucceeded',
            data: {
              titleId: title.titleId,
              encodingId: title.encodingId,
              ladder,
              manifestPath,
              packageIndex: { files: 200, bytes: title.bytes, sha256: sha(n + 1) },
              durationSeconds: title.durationSeconds,
              encodeSeconds: 300,
              at,
            },
          },
          { type: 'TitlePublished', data: { titleId: title.titleId, encodingId: title.encodingId, manifestPath, at } },
        ],
      });
      released.push(title);
    }
  };

  const step = spanMs / playCount;
  let clock = startMs + 600_000;
  for (let n = 0; n < playCount; n++) {
    clock += Math.max(1, Math.floor(step * (0.5 + random())));
    await release(clock);
    await writeDue(clock);
    const viewer = edges[Math.floor(random() * edges.length)] as (typeof edges)[number];
    // Newer titles are watched more: appeal fades with age, with a floor for the classics.
    const weights = released.map(
      (title) => (title.appeal[viewer.i] ?? 0) * (0.2 + Math.exp(-(clock - title.releasedMs) / (45 * dayMs))),
    );
    let left = random() * weights.reduce((sum, w) => sum + w, 0);
    let chosen = 0;
    while (chosen < weights.length - 1 && left > (weights[chosen] ?? 0)) left -= weights[chosen++] ?? 0;
    const title = released[chosen];
    if (!title) continue;
    const holders = edges.map((edge) => ({
      edgeId: edge.edgeId,
      region: edge.region,
      healthy: !isDown(edge.edgeId, clock),
    }));
    const offered = holders
      .filter((holder) => holder.healthy)
      .sort(
        (a, b) =>
          Number(b.region === viewer.region) - Number(a.region === viewer.region) || a.edgeId.localeCompare(b.edgeId),
      )
      .map((holder) => holder.edgeId);
    const sessionId = `s${n}`;
    const ref = { sessionId, accountId: `acct${n % 997}`, profileId: `acct${n % 997}-p0`, titleId: title.titleId };
    const watched = Math.min(title.durationSeconds, 300 + Math.floor(random() * title.durationSeconds));
    const endMs = clock + watched * 1000;
    await write({
      stream: streamName('playback', sessionId),
      atMs: clock,
      events: [
        {
          type: 'PlaybackStarted',
          data: {
            ...ref,
            encodingId: title.encodingId,
            manifestPath: `${title.titleId}/${title.encodingId}/manifest.mpd`,
            durationSeconds: title.durationSeconds,
            maxHeight: 1080,
            edges: offered,
            holders,
            region: viewer.region,
            resumeFromSeconds: 0,
            at: iso(clock),
          },
        },
      ],
    });
    for (let h = 1; h <= heartbeats; h++) {
      const atMs = clock + Math.floor((watched * 1000 * h) / (heartbeats + 1));
      later.push({
        stream: streamName('playback', sessionId),
        atMs,
        events: [
          {
            type: 'PlaybackProgressed',
            data: { ...ref, positionSeconds: Math.floor((atMs - clock) / 1000), at: iso(atMs) },
          },
        ],
      });
    }
    later.push({
      stream: streamName('playback', sessionId),
      atMs: endMs,
      events: [{ type: 'PlaybackStopped', data: { ...ref, positionSeconds: watched, at: iso(endMs) } }],
    });
    // What the serving node reported when the interval holding the session's end closed.
    const nodeId = offered[0] ?? 'origin';
    const served = edges.find((edge) => edge.edgeId === nodeId);
    const intervalStartMs = Math.floor(endMs / 10_000) * 10_000;
    const bytes = Math.round(((1080 * 4 * 1000 + 128_000) / 8) * watched);
    const requests = Math.ceil(watched / 2);
    const reportId = deterministicId(['serving', nodeId, iso(intervalStartMs)]);
    const row = {
      titleId: title.titleId,
      encodingId: title.encodingId,
      rung: 1080,
      status: 'hit' as const,
      client: 'viewer' as const,
      requests,
      bytes,
    };
    const session = {
      sessionId,
      titleId: title.titleId,
      encodingId: title.encodingId,
      region: viewer.region,
      requests,
      hitBytes: bytes,
      missBytes: 0,
    };
    // One report per node per interval: sessions ending in the same interval share it.
    const open = reports.get(reportId);
    if (open) {
      open.data.rows.push(row);
      open.data.sessions.push(session);
      continue;
    }
    const report: ServingReport = {
      type: 'ServingReported',
      data: {
        nodeId,
        role: served ? 'edge' : 'origin',
        region: served?.region ?? null,
        intervalStart: iso(intervalStartMs),
        intervalSeconds: 10,
        rows: [row],
        sessions: [session],
        overflow: { rows: 0, sessions: 0, requests: 0, bytes: 0 },
        at: iso(intervalStartMs + 10_000),
      },
    };
    reports.set(reportId, report);
    later.push({
      stream: streamName('serving', nodeId),
      id: reportId,
      atMs: intervalStartMs + 10_000,
      events: [report],
    });
  }
  await writeDue(Number.POSITIVE_INFINITY);
  await Promise.all(pending);
  options.onProgress?.(written);
  return { events: written, titles: titleCount, plays: playCount, regions: regions.length };
};
