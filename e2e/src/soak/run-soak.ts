/*
 * One soak: the platform started as `npm start` starts it, load and faults for a while, then the
 * load stops, the platform settles, and the final checks run. Used by the CI test (a minute or
 * two) and by `npm run soak -- --minutes N` for long runs.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeClip } from '@marquee/platform/testing';
import { type DriverStats, startDriver } from './driver';
import { type InjectedFault, startFaultInjector } from './fault-injector';
import {
  type Check,
  checkCommandsAnswered,
  checkEdgesHoldPublished,
  checkExactlyOnce,
  checkNothingLeaked,
  checkNoUnpromptedDeaths,
  checkOutagesVisible,
  checkServicesHealthy,
  checkUploadsEnded,
  checkViewsMatchRebuild,
  projectionStatus,
  readLog,
} from './final-checks';
import { soakServices, startSoakPlatform } from './soak-platform';

export type SoakOptions = {
  /** How long the load and the faults run. */
  loadMs: number;
  /** A fault this often. */
  faultEveryMs: number;
  viewerEveryMs: number;
  uploadEveryMs: number;
  /** Seeds the choice of victims and titles, so a run can be repeated. */
  seed: number;
  /** Where the platform keeps its state; a fresh temporary folder by default (its path is printed). */
  dataDir?: string;
  logFile?: string;
  log: (line: string) => void;
  /** Called about once a second with how far the load phase got (0…1) and what it did so far. */
  onProgress?: (fraction: number, stats: DriverStats, faults: readonly InjectedFault[]) => void;
};

export type SoakReport = {
  ok: boolean;
  dataDir: string;
  seed: number;
  loadSeconds: number;
  checks: Check[];
  faults: InjectedFault[];
  skippedFaults: string[];
  slowClients: string;
  stats: DriverStats;
  restarts: Record<string, number>;
  stop: { exitCode: number | null; signal: string | null; busyPorts: number[] };
};

/** mulberry32: a small seeded generator, so the same seed kills the same services in the same order. */
export const seededRandom = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Waits until `ready` says so, or the time is up; whether it did. */
const settle = async (ready: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready().catch(() => false)) return true;
    await sleep(1000);
  }
  return false;
};

export const runSoak = async (options: SoakOptions): Promise<SoakReport> => {
  const { log } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'marquee-soak-')));
  const runId = randomUUID().slice(0, 8);
  const random = seededRandom(options.seed);
  log(`soak ${runId}: data in ${dataDir}, seed ${options.seed}`);

  const clipPath = join(dataDir, 'soak-clip.mp4');
  const logFile = options.logFile ?? join(dataDir, 'soak.log');
  log(`everything npm start prints: ${logFile}`);
  const platform = await startSoakPlatform({ dataDir, edgeDiskBytes: 64 * 2 ** 20, log, logFile });
  let stopped: SoakReport['stop'] | undefined;
  try {
    await makeClip(clipPath, { seconds: 6, size: '640x360', toneHz: 440, sampleRate: 48000 });
    const clip = await readFile(clipPath);
    await rm(clipPath);
    log(`platform up: command API ${platform.urls.commandApi}, query API ${platform.urls.queryApi}`);

    const driver = startDriver({
      commandApiUrl: platform.urls.commandApi,
      queryApiUrl: platform.urls.queryApi,
      contentKey: platform.contentKey,
      clip,
      runId,
      viewerEveryMs: options.viewerEveryMs,
      uploadEveryMs: options.uploadEveryMs,
      commandDeadlineMs: 120_000,
      random,
      log,
    });
    const faults = startFaultInjector({
      platform,
      everyMs: options.faultEveryMs,
      redisDownMs: 5_000,
      diskFullMs: Math.min(30_000, options.faultEveryMs * 2),
      slowClientsPerPort: 4,
      random,
      log,
    });
    const started = Date.now();
    while (Date.now() - started < options.loadMs) {
      await sleep(1000);
      options.onProgress?.(Math.min(1, (Date.now() - started) / options.loadMs), driver.stats, faults.faults);
    }
    log('load over: stopping the faults and waiting for the viewers and titles under way');
    const slowClients = faults.slowClients();
    await faults.stop();
    await driver.stop(6 * 60_000);
    const { stats } = driver;

    // Settle: every service back, the views caught up, the edges filled.
    const healthy = await settle(async () => (await checkServicesHealthy(platform)).ok, 90_000);
    if (!healthy) log('not every service was healthy within 90 s');
    const caughtUp = await settle(
      async () => (await projectionStatus(platform.storesEnv)).projections.every((row) => row.lag === 0),
      60_000,
    );
    if (!caughtUp) log('the projections did not catch up within 60 s');
    await settle(async () => (await checkEdgesHoldPublished(platform, stats.titlesPublished)).ok, 120_000);

    const checks: Check[] = [
      await checkServicesHealthy(platform),
      await checkEdgesHoldPublished(platform, stats.titlesPublished),
    ];
    const restarts = Object.fromEntries(soakServices.map((name) => [name, Math.max(0, platform.startsOf(name) - 1)]));
    stopped = await platform.stop();
    log(`npm start stopped (${stopped.signal ?? `code ${stopped.exitCode}`})`);
    if (stopped.busyPorts.length > 0) log(`ports still in use after the stop: ${stopped.busyPorts.join(', ')}`);

    const events = await readLog(platform.storesEnv.EVENT_STORE_URL as string);
    checks.push(
      checkNoUnpromptedDeaths(faults.faults, restarts, platform.output),
      checkOutagesVisible(faults.faults, platform.output, [
        'command-api',
        'query-api',
        'encoder',
        'edge-eu',
        'edge-us',
      ]),
      checkCommandsAnswered(stats.commands),
      checkExactlyOnce(events, stats.commands),
      checkUploadsEnded(events),
      await checkNothingLeaked(dataDir, events),
      await checkViewsMatchRebuild(platform.storesEnv),
    );
    const ok = checks.every((c) => c.ok);
    return {
      ok,
      dataDir,
      seed: options.seed,
      loadSeconds: Math.round((Date.now() - started) / 1000),
      checks,
      faults: faults.faults,
      skippedFaults: faults.skipped,
      slowClients,
      stats,
      restarts,
      stop: stopped,
    };
  } finally {
    if (!stopped) await platform.stop();
    await platform.release();
  }
};

/** The report as lines of text: verdicts first, then what happened. */
export const describeSoak = (report: SoakReport): string[] => {
  const { stats } = report;
  const lines = [
    `soak ${report.ok ? 'PASSED' : 'FAILED'}: ${report.loadSeconds} s of load, seed ${report.seed}, data in ${report.dataDir}`,
    ...report.checks.flatMap((c) => [
      `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.summary}`,
      ...c.problems.slice(0, 20).map((p) => `         - ${p}`),
      ...(c.problems.length > 20 ? [`         … and ${c.problems.length - 20} more`] : []),
    ]),
    `  load: ${stats.viewersStarted} viewers (${stats.viewersFinished} finished), ${stats.titlesCreated.length} titles (${stats.titlesPublished.length} published), ${stats.commands.length} commands`,
    `  playback manifests: ${stats.manifestsServed} served, ${stats.manifestFailures.length} failed${stats.manifestFailures.length ? ` (${[...new Set(stats.manifestFailures)].slice(0, 5).join('; ')})` : ''}`,
    ...stats.contentProblems.map((p) => `  content: ${p}`),
    `  faults: ${report.faults.map((f) => `${f.what} → ${f.outcome ?? '?'}`).join('; ') || 'none'}`,
    ...report.skippedFaults.map((s) => `  skipped fault: ${s}`),
    `  slow clients: ${report.slowClients}`,
    `  restarts by npm start: ${Object.entries(report.restarts)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
    `  npm start stopped: ${report.stop.signal ?? `code ${report.stop.exitCode}`}${report.stop.busyPorts.length ? `, ports still busy: ${report.stop.busyPorts.join(', ')}` : ''}`,
  ];
  return lines;
};
