// The edge node's composition root: one program, run as the origin or as an edge.
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { edgeDecider, streamName } from '@marquee/domain';
import {
  createLogger,
  defaultPorts,
  type EventStore,
  handleCommand,
  loadContentTokenSecret,
  localUrl,
  openCheckpointStore,
  openEventStore,
  openRedisEdgeHealth,
  originPathwayId,
  readServiceConfig,
} from '@marquee/platform';
import { type Catalog, startCatalogFollower } from './catalog-follower';
import { readCmcd } from './cmcd';
import { type EdgeDisk, openEdgeDisk, openOriginDisk } from './content-disk';
import { createEdgeServer, type EdgeIdentity } from './edge-app';
import { edgeConfigSchema } from './edge-config';
import { createEdgeMetrics } from './edge-metrics';
import { adoptOldFillCheckpoint, startFillAgent } from './fill-agent';
import { heldLocation, startNginxFront } from './nginx-front';
import { startServingReporter } from './serving-reporter';
import { openServingSpool } from './serving-spool';
import { createSessionFigures } from './session-figures';

const config = readServiceConfig(edgeConfigSchema);
const isOrigin = config.EDGE_ROLE === 'origin';
const logger = createLogger(isOrigin ? 'origin' : `edge ${config.EDGE_ID}`, config.LOG_LEVEL);
const contentTokenSecret = loadContentTokenSecret(config);
const dir =
  config.EDGE_DIR ?? (isOrigin ? join(config.DATA_DIR, 'origin') : join(config.DATA_DIR, 'edges', config.EDGE_ID));
const listenPort = config.EDGE_PORT ?? (isOrigin ? defaultPorts.origin : defaultPorts.edges[0]);

if (listenPort === 0 && !config.EDGE_URL) {
  console.error('EDGE_PORT=0 needs EDGE_URL: the edge registers the URL players reach it by.');
  process.exit(1);
}
const url = config.EDGE_URL ?? `http://${config.EDGE_HOST}:${listenPort}`;
const originUrl = config.ORIGIN_URL ?? (isOrigin ? url : localUrl(defaultPorts.origin));

const now = () => new Date();
const edgeDisk = isOrigin ? undefined : await openEdgeDisk(dir, { now });
const disk = edgeDisk ?? (await openOriginDisk(dir));
const metrics = createEdgeMetrics(() => edgeDisk?.usedBytes() ?? 0);
const inFlight = { count: 0 };

const fatal = () => {
  logger.flush();
  process.exit(1);
};

// Both roles follow the log: which titles are withdrawn, where the edges are.
const eventStore = await openEventStore(config.EVENT_STORE_URL, {
  duplicateScanWindow: config.ESDB_DUPLICATE_SCAN_WINDOW,
});

/** Every start registers; the decider appends only when the configuration changed. */
const registerEdge = (eventStore: EventStore) =>
  handleCommand(eventStore, streamName('edge', config.EDGE_ID), edgeDecider, {
    type: 'RegisterEdge',
    edgeId: config.EDGE_ID,
    url,
    region: config.EDGE_REGION,
    capacityBytes: config.EDGE_CAPACITY,
    upstream: config.EDGE_UPSTREAM,
    at: now().toISOString(),
  });

/** The edge's side of the platform: its fill agent and its heartbeat. */
const joinPlatform = async (disk: EdgeDisk, eventStore: EventStore, catalog: Catalog) => {
  // An edge is another host: its checkpoint lives on its own disk, beside its content.
  const checkpoints = await openCheckpointStore(`file:${dir}`);
  if (await adoptOldFillCheckpoint(join(dir, 'fill-checkpoint.json'), checkpoints))
    logger.info('the fill checkpoint of an earlier version was carried over');
  const fillAgent = await startFillAgent({
    edgeId: config.EDGE_ID,
    eventStore,
    disk,
    upstream: config.EDGE_UPSTREAM,
    contentTokenSecret,
    concurrency: config.FILL_CONCURRENCY,
    fillWindow: config.FILL_WINDOW,
    rateBytesPerSecond: config.FILL_RATE_MBPS ? (config.FILL_RATE_MBPS * 1e6) / 8 : undefined,
    policy: config.FILL_POLICY,
    fillOnDemand: config.FILL_ON_DEMAND,
    popularity: {
      region: config.EDGE_REGION,
      model: { halfLifeHours: config.POPULARITY_HALF_LIFE_HOURS, newReleasePlays: config.NEW_RELEASE_PLAYS },
    },
    publishedEncoding: catalog.publishedEncoding,
    supersededGraceMs: config.SUPERSEDED_GRACE_SECONDS * 1000,
    checkpoints,
    metrics,
    logger,
    now,
    onFatal: fatal,
  });
  // An outage of Redis is logged once by edge health, when it starts and when it ends; steering
  // keeps this edge for EDGE_HEALTH_STALE_SECONDS past its last heartbeat meanwhile.
  const edgeHealth = openRedisEdgeHealth(config.REDIS_URL, { now, logger });
  const beat = () =>
    edgeHealth.heartbeat(config.EDGE_ID, { load: inFlight.count }, config.HEARTBEAT_TTL_SECONDS).catch(() => {});
  let heartbeat: NodeJS.Timeout | undefined;
  return {
    fillAgent,
    /** Steering may send viewers here from the first heartbeat on, so it waits for the server. */
    startHeartbeat: async () => {
      await beat();
      heartbeat = setInterval(beat, (config.HEARTBEAT_TTL_SECONDS * 1000) / 3);
    },
    leave: async () => {
      clearInterval(heartbeat);
      // Steering stops offering this edge now: players move at their next steering refresh.
      await edgeHealth
        .leave(config.EDGE_ID)
        .catch((error) => logger.warn({ error: String(error) }, 'heartbeat not withdrawn'));
      await fillAgent.close();
      await checkpoints.close();
      await edgeHealth.close();
    },
  };
};

const behindNginx = config.EDGE_SERVE_WITH === 'nginx';
// What this node serves, reported once per interval; spooled on its own disk until the log has it.
const telemetry = await startServingReporter({
  node: isOrigin
    ? { nodeId: originPathwayId, role: 'origin', region: null }
    : { nodeId: config.EDGE_ID, role: 'edge', region: config.EDGE_REGION },
  eventStore,
  spool: await openServingSpool(join(dir, '.serving-spool')),
  intervalSeconds: config.TELEMETRY_INTERVAL_SECONDS,
  // nginx's access log is flushed every second and read every second.
  graceMs: behindNginx ? 2500 : 0,
  onReported: metrics.servingReported,
  logger,
  now,
});
const telemetryTimer = setInterval(
  () => void telemetry.tick(),
  Math.min(1000, (config.TELEMETRY_INTERVAL_SECONDS * 1000) / 4),
);
// Intervals a previous run spooled and did not append.
void telemetry.tick();

if (edgeDisk) await registerEdge(eventStore);
// After the edge registered itself, so that its own pathway is in the directory it reads.
// nginx (started later) refuses withdrawn titles itself; until it runs there is no one to tell.
let withdrawnChanged: (withdrawn: ReadonlySet<string>) => void = () => {};
let withdrawn: ReadonlySet<string> = new Set();
const catalogFollower = await startCatalogFollower({
  eventStore,
  now,
  logger,
  onWithdrawnChange: (titles) => {
    withdrawn = titles;
    withdrawnChanged(titles);
  },
  onFatal: (error) => {
    logger.fatal({ error: error instanceof Error ? error.message : String(error) }, 'following the catalog failed');
    fatal();
  },
});
// The fill agent reads the catalog for which revision of a title is the published one.
const platform = edgeDisk ? await joinPlatform(edgeDisk, eventStore, catalogFollower.catalog) : undefined;
const identity: EdgeIdentity = isOrigin
  ? { role: 'origin' }
  : {
      role: 'edge',
      edgeId: config.EDGE_ID,
      region: config.EDGE_REGION,
      capacityBytes: config.EDGE_CAPACITY,
      upstream: config.EDGE_UPSTREAM,
      url,
    };
const sessions = createSessionFigures();
const server = createEdgeServer({
  sessions,
  identity,
  ...(behindNginx && { accelRedirect: heldLocation }),
  disk,
  contentTokenSecret,
  metrics,
  logger,
  catalog: catalogFollower.catalog,
  originUrl,
  steeringUrl: config.STEERING_URL,
  inFlight,
  telemetry,
  ...(platform && { fillAgent: platform.fillAgent }),
});
// Behind nginx, this program listens on a Unix socket (cheaper per request than loopback TCP)
// and nginx takes the public port.
const nginxDir = resolve(dir, isOrigin ? '.nginx' : 'nginx');
const programSocket = join(nginxDir, 'program.sock');
if (behindNginx) {
  await mkdir(nginxDir, { recursive: true });
  await rm(programSocket, { force: true });
}
await new Promise<void>((done, reject) => {
  server.once('error', reject);
  if (behindNginx) server.listen(programSocket, () => done());
  else server.listen(listenPort, config.EDGE_HOST, () => done());
});
const nginx = behindNginx
  ? await startNginxFront({
      host: config.EDGE_HOST,
      port: listenPort,
      node: `unix:${programSocket}`,
      contentDir: disk.contentDir,
      workDir: nginxDir,
      // nginx checks tokens of segment hits itself (njs) and reports them through its access log.
      contentTokenSecret,
      metrics,
      ...(edgeDisk && { touch: edgeDisk.touch }),
      unavailableTitles: withdrawn,
      // The hits nginx sent itself count in each session's figures as Node's own do.
      onServed: (entry) => {
        const cmcd = entry.cmcd === null ? undefined : readCmcd(`CMCD=${encodeURIComponent(entry.cmcd)}`, {});
        const sessionId = entry.sessionId ?? cmcd?.sessionId;
        if (sessionId) sessions.request(sessionId, cmcd)(entry.bytes);
        telemetry.record(
          {
            titleId: entry.titleId,
            encodingId: entry.encodingId,
            file: entry.file,
            status: 'hit',
            client: entry.sessionId === null ? 'edge' : 'viewer',
            sessionId: entry.sessionId,
            region: entry.region,
            bytes: entry.bytes,
          },
          entry.at,
        );
      },
      logger,
      onUnexpectedExit: (code) => {
        logger.fatal({ code }, 'nginx exited; stopping, so that the heartbeat stops too');
        logger.flush();
        process.exit(1);
      },
    })
  : undefined;
if (nginx) {
  withdrawnChanged = (titles) =>
    void nginx
      .setUnavailableTitles([...titles])
      .catch((error) => logger.warn({ error: String(error) }, 'nginx was not told the withdrawn titles'));
  // A change between nginx's start and now; a no-op when there was none.
  withdrawnChanged(withdrawn);
}
await platform?.startHeartbeat();
if (isOrigin) logger.info({ dir }, `origin serving ${url}/c/ from ${dir}`);
else
  logger.info(
    { dir, region: config.EDGE_REGION, capacityBytes: config.EDGE_CAPACITY, upstream: config.EDGE_UPSTREAM },
    `edge ${config.EDGE_ID} serving ${url}/c/`,
  );

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  server.closeIdleConnections();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await platform?.leave();
  await catalogFollower.close();
  // nginx's last hits are in its log once it has quit; the interval in flight is reported early.
  await nginx?.stop();
  clearInterval(telemetryTimer);
  await telemetry.close();
  await eventStore.close();
  // Long downloads by players should not hold the exit for minutes.
  setTimeout(() => server.closeAllConnections(), 2000).unref();
  await closed;
  logger.info('stopped');
  logger.flush();
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
