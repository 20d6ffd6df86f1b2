/*
 * The platform under soak: `npm start` as a user runs it, but on free ports of its own (so it
 * never meets the e2e suite's platform on the defaults), with its own Redis it may restart, its
 * own DATA_DIR, and, where the machine lets us mount, one edge's disk on a small tmpfs that the
 * fault injector can fill up. `npm start` says which pid each service runs as; the soak reads it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { developmentSecretsPath, loadDevelopmentSecrets, localUrl } from '@marquee/platform';
import { freePort, type OwnRedis, startOwnRedis } from '@marquee/platform/testing';
import { spawnNpmStart } from '../platform';

const run = promisify(execFile);

/** The services `npm start` runs, by the name it prints them under. */
export const soakServices = [
  'projections',
  'encoder',
  'origin',
  'edge-eu',
  'edge-us',
  'command-api',
  'query-api',
  'player',
] as const;
export type SoakService = (typeof soakServices)[number];

export type SoakPorts = {
  commandApi: number;
  queryApi: number;
  player: number;
  origin: number;
  edgeEu: number;
  edgeUs: number;
  redis: number;
};

/** The disk of the edge the fault injector fills: a tmpfs of its own, or why there is none. */
export type EdgeDisk = { edge: SoakService; path: string; bytes: number } | { edge: SoakService; skipped: string };

export type SoakPlatform = {
  dataDir: string;
  ports: SoakPorts;
  urls: { commandApi: string; queryApi: string; player: string; origin: string; edges: string[] };
  /** Every service that answers HTTP, by name: where /readyz or /healthz is asked. */
  httpServices: { name: SoakService; url: string }[];
  redis: OwnRedis;
  edgeDisk: EdgeDisk;
  contentKey: string;
  /** The environment the analysts' CLI needs to work on this platform's stores. */
  storesEnv: Record<string, string>;
  /** Every line `npm start` printed. */
  output: string[];
  /** The pid a service runs as now, from `npm start`'s "[name] started (pid N)" lines. */
  pidOf(service: SoakService): number | undefined;
  /** How many times `npm start` started a service (1 + its restarts). */
  startsOf(service: SoakService): number;
  onLine(listener: (line: string) => void): () => void;
  running(): boolean;
  /** Ctrl-C, then waits for its ports; unmounts the edge's tmpfs and stops Redis only with `release`. */
  stop(): Promise<{ exitCode: number | null; signal: string | null; busyPorts: number[] }>;
  /** Unmounts the tmpfs and stops Redis: after stop(), once nothing reads the files any more. */
  release(): Promise<void>;
};

const freePorts = async (): Promise<SoakPorts> => {
  const taken = new Set<number>();
  const next = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  return {
    commandApi: await next(),
    queryApi: await next(),
    player: await next(),
    origin: await next(),
    edgeEu: await next(),
    edgeUs: await next(),
    redis: await next(),
  };
};

/** One edge's disk on a tmpfs of `bytes`, when this process may mount (root); otherwise why not. */
const mountEdgeDisk = async (dataDir: string, edge: SoakService, bytes: number): Promise<EdgeDisk> => {
  const path = join(dataDir, 'edges', edge);
  mkdirSync(path, { recursive: true });
  if (process.getuid?.() !== 0) return { edge, skipped: 'not running as root, so no tmpfs can be mounted' };
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path]);
    return { edge, path, bytes };
  } catch (error) {
    return { edge, skipped: `mount -t tmpfs was refused: ${(error as { stderr?: string }).stderr?.trim() || error}` };
  }
};

export type SoakPlatformOptions = {
  dataDir: string;
  /** The tmpfs under the filled edge's disk. */
  edgeDiskBytes: number;
  logFile?: string;
  log: (line: string) => void;
  readyTimeoutMs?: number;
};

export const startSoakPlatform = async (options: SoakPlatformOptions): Promise<SoakPlatform> => {
  const { dataDir, log } = options;
  const ports = await freePorts();
  mkdirSync(dataDir, { recursive: true });
  const redis = await startOwnRedis({ port: ports.redis, dir: join(dataDir, 'soak-redis') });
  const edgeDisk = await mountEdgeDisk(dataDir, 'edge-eu', options.edgeDiskBytes);
  if ('skipped' in edgeDisk) log(`edge disk full: skipped (${edgeDisk.skipped})`);
  else log(`edge-eu's disk is a ${Math.round(edgeDisk.bytes / 2 ** 20)} MiB tmpfs at ${edgeDisk.path}`);

  const storesEnv = {
    EVENT_STORE_URL: `sqlite:${join(dataDir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dataDir, 'views.db')}`,
  };
  const allPorts = [ports.commandApi, ports.queryApi, ports.player, ports.origin, ports.edgeEu, ports.edgeUs];
  const { npmStart, running, stop } = spawnNpmStart({
    env: {
      ...storesEnv,
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      SEED_DEMO: '0',
      COMMAND_API_PORT: String(ports.commandApi),
      QUERY_API_PORT: String(ports.queryApi),
      PLAYER_PORT: String(ports.player),
      ORIGIN_PORT: String(ports.origin),
      EDGE_EU_PORT: String(ports.edgeEu),
      EDGE_US_PORT: String(ports.edgeUs),
      // Every viewer of the soak signs up from 127.0.0.1.
      SIGNUP_RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      // The fault injector kills a service every few seconds in a long run; never often enough to give up.
      SERVICE_RESTARTS_PER_MINUTE: '10',
    },
    ports: allPorts,
    ...(options.logFile && { logFile: options.logFile }),
  });
  const pids = new Map<SoakService, number>();
  const starts = new Map<SoakService, number>();
  const started = /^\[([\w-]+)\] started \(pid (\d+)\)/;
  const notePid = (line: string) => {
    const match = started.exec(line);
    if (!match) return;
    const service = match[1] as SoakService;
    pids.set(service, Number(match[2]));
    starts.set(service, (starts.get(service) ?? 0) + 1);
  };
  for (const line of npmStart.lines) notePid(line);
  npmStart.onLine(notePid);

  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    if ('path' in edgeDisk)
      await run('umount', [edgeDisk.path]).catch((error: unknown) =>
        log(`could not unmount ${edgeDisk.path}: ${(error as { stderr?: string }).stderr ?? error}`),
      );
    await redis.stop();
  };

  try {
    await npmStart.waitForLine(/^Open http:\/\//, options.readyTimeoutMs ?? 180_000);
  } catch (error) {
    await stop();
    await release();
    throw error;
  }
  const secrets = loadDevelopmentSecrets(developmentSecretsPath(dataDir));
  const urls = {
    commandApi: localUrl(ports.commandApi),
    queryApi: localUrl(ports.queryApi),
    player: localUrl(ports.player),
    origin: localUrl(ports.origin),
    edges: [localUrl(ports.edgeEu), localUrl(ports.edgeUs)],
  };
  return {
    dataDir,
    ports,
    urls,
    httpServices: [
      { name: 'command-api', url: urls.commandApi },
      { name: 'query-api', url: urls.queryApi },
      { name: 'player', url: urls.player },
      { name: 'origin', url: urls.origin },
      { name: 'edge-eu', url: localUrl(ports.edgeEu) },
      { name: 'edge-us', url: localUrl(ports.edgeUs) },
    ],
    redis,
    edgeDisk,
    contentKey: secrets.contentKey,
    storesEnv,
    output: npmStart.lines,
    pidOf: (service) => pids.get(service),
    startsOf: (service) => starts.get(service) ?? 0,
    onLine: npmStart.onLine,
    running,
    stop,
    release,
  };
};
