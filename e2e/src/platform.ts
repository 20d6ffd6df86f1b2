/*
 * The whole platform, started as a user starts it: `npm start` at the repository root, with all
 * its state in a fresh DATA_DIR. It is ready for a viewer when it prints "Open http://…", and
 * its demo titles are ready (encoded, published, on both edges) when it prints
 * "demo titles ready: …". Stopped as Ctrl-C stops it: SIGINT to its process group.
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultPorts, developmentSecretsPath, loadDevelopmentSecrets, localUrl } from '@marquee/platform';
import { spawnProcess } from '@marquee/platform/testing';

const run = promisify(execFile);

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What `npm start` listens on with its defaults. */
export const platformPorts = {
  commandApi: defaultPorts.commandApi,
  queryApi: defaultPorts.queryApi,
  player: defaultPorts.player,
  origin: defaultPorts.origin,
  edgeEu: defaultPorts.edges[0],
  edgeUs: defaultPorts.edges[1],
} as const;

/*
 * The platform's Redis database for these runs. The demo seeding sends fixed Idempotency-Keys,
 * so its event ids, and with them the encoder's BullMQ job ids, are the same on every fresh
 * DATA_DIR: on a Redis that already finished those jobs for another data folder, BullMQ drops
 * them as duplicates and the demo titles are never encoded. A database of their own, emptied
 * first, keeps every run (and a developer's own `npm start`) apart.
 */
export const defaultRedisUrl = 'redis://127.0.0.1:6379/14';

export type Platform = {
  /** The pid of `npm start`, which leads its own process group. */
  pid: number;
  dataDir: string;
  playerUrl: string;
  commandApiUrl: string;
  queryApiUrl: string;
  originUrl: string;
  edgeUrls: string[];
  redisUrl: string;
  /** The development content key from DATA_DIR/secrets.json. */
  contentKey: string;
  /** Every line `npm start` printed so far. */
  output: string[];
  /** Waits until a line of output matches. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Waits for the demo titles (encoded, published, held by both edges); their names. */
  demoTitles(timeoutMs: number): Promise<string[]>;
  /** Whether `npm start` is still running. */
  running(): boolean;
  /** Ctrl-C: SIGINT to the process group, then waits for every port to be free again. */
  stop(timeoutMs?: number): Promise<{ exitCode: number | null; signal: string | null; busyPorts: number[] }>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether something accepts connections on 127.0.0.1:port. */
export const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export const busyPorts = async (ports: number[] = Object.values(platformPorts)) => {
  const busy: number[] = [];
  for (const port of ports) if (await isListening(port)) busy.push(port);
  return busy;
};

/** The pid of the process listening on 127.0.0.1:port, from `ss`. */
export const pidListeningOn = async (port: number): Promise<number> => {
  const { stdout } = await run('ss', ['-ltnpH', `sport = :${port}`]);
  const pid = /pid=(\d+)/.exec(stdout)?.[1];
  if (!pid) throw new Error(`no process found listening on port ${port} (ss said: ${stdout.trim() || 'nothing'})`);
  return Number(pid);
};

const emptyRedisDatabase = async (redisUrl: string) => {
  const url = new URL(redisUrl);
  const db = url.pathname.slice(1) || '0';
  if (db === '0')
    throw new Error(`refusing to empty Redis database 0 (${redisUrl}); give the tests a database of their own`);
  await run('redis-cli', ['-h', url.hostname, '-p', url.port || '6379', '-n', db, 'flushdb']);
};

/**
 * `npm start` at the repository root in its own process group, so SIGINT reaches npm, the start
 * script and every service, as Ctrl-C does. `stop` sends it (SIGKILL after `timeoutMs`) and waits
 * for the ports to be free again: the services may close their sockets a moment after npm returns.
 */
export const spawnNpmStart = (options: { env: Record<string, string>; ports: readonly number[]; logFile?: string }) => {
  const npmStart = spawnProcess('npm', ['start'], {
    name: 'npm start',
    cwd: repositoryRoot,
    detached: true,
    env: { ...options.env, FORCE_COLOR: '0' },
  });
  const { child } = npmStart;
  const logFile = options.logFile ? createWriteStream(options.logFile) : null;
  if (logFile) npmStart.onLine((line) => logFile.write(`${line}\n`));
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  const stop = async (timeoutMs = 30_000) => {
    if (running()) signal('SIGINT');
    const force = setTimeout(() => signal('SIGKILL'), timeoutMs);
    const outcome = await npmStart.exited;
    clearTimeout(force);
    const deadline = Date.now() + 10_000;
    let busy = await busyPorts([...options.ports]);
    while (busy.length > 0 && Date.now() < deadline) {
      await sleep(250);
      busy = await busyPorts([...options.ports]);
    }
    logFile?.end();
    return { exitCode: outcome.code, signal: outcome.signal as string | null, busyPorts: busy };
  };
  return { npmStart, logFile, running, stop };
};

export type StartOptions = {
  /** Where the platform keeps its state; a fresh temporary folder by default. */
  dataDir?: string;
  redisUrl?: string;
  /** A file that receives everything `npm start` prints. */
  logFile?: string;
  /** How long to wait for "Open http://…" (the player is built first). */
  readyTimeoutMs?: number;
  /** Ports still busy (someone else's platform) are waited for this long before giving up. */
  portsTimeoutMs?: number;
  log?: (line: string) => void;
  /** Settings for every service, over the environment's (e.g. `CONTENT_TOKEN_TTL_SECONDS`). */
  env?: Record<string, string>;
};

export const startPlatform = async (options: StartOptions = {}): Promise<Platform> => {
  const log = options.log ?? (() => {});
  const redisUrl = options.redisUrl ?? process.env.E2E_REDIS_URL ?? defaultRedisUrl;
  const portsDeadline = Date.now() + (options.portsTimeoutMs ?? 5 * 60_000);
  for (;;) {
    const busy = await busyPorts();
    if (busy.length === 0) break;
    if (Date.now() > portsDeadline)
      throw new Error(`ports ${busy.join(', ')} are still in use; is a platform running?`);
    log(`ports ${busy.join(', ')} are in use (another platform?); waiting for them to be free`);
    await sleep(10_000);
  }
  await emptyRedisDatabase(redisUrl);

  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'marquee-e2e-'));
  const { npmStart, running, stop } = spawnNpmStart({
    env: { ...options.env, DATA_DIR: dataDir, REDIS_URL: redisUrl },
    ports: Object.values(platformPorts),
    ...(options.logFile && { logFile: options.logFile }),
  });
  const { child, lines: output } = npmStart;
  const waitForOutput = (pattern: RegExp, timeoutMs: number) => npmStart.waitForLine(pattern, timeoutMs);

  try {
    const openLine = /^Open (http:\/\/\S+)/;
    const open = await waitForOutput(openLine, options.readyTimeoutMs ?? 120_000);
    const playerUrl = (openLine.exec(open)?.[1] ?? '').replace(/\/$/, '');
    const secrets = loadDevelopmentSecrets(developmentSecretsPath(dataDir));
    return {
      pid: child.pid as number,
      dataDir,
      playerUrl,
      commandApiUrl: localUrl(platformPorts.commandApi),
      queryApiUrl: localUrl(platformPorts.queryApi),
      originUrl: localUrl(platformPorts.origin),
      edgeUrls: [localUrl(platformPorts.edgeEu), localUrl(platformPorts.edgeUs)],
      redisUrl,
      contentKey: secrets.contentKey,
      output,
      waitForOutput,
      demoTitles: async (timeoutMs) => {
        const failed = waitForOutput(/seeding the demo titles failed|exited unexpectedly/, timeoutMs).then((line) => {
          throw new Error(`npm start: ${line}`);
        });
        const ready = waitForOutput(/demo titles ready: (.+) \(on both edges\)/, timeoutMs);
        failed.catch(() => {});
        const line = await Promise.race([ready, failed]);
        const names = /demo titles ready: (.+) \(on both edges\)/.exec(line)?.[1] ?? '';
        return names.split(', ').filter(Boolean);
      },
      running,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
