/*
 * The fault-injection soak, short enough for CI: the platform started as `npm start` starts it
 * (its own ports, Redis and DATA_DIR), ~90 s of viewers and uploads while services are killed
 * and restarted, Redis is restarted, an edge's disk fills up and slow clients sit on every port;
 * then every final check must hold. `npm run soak -- --minutes N` runs the same for longer.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeSoak, runSoak } from '../src/index';
import { artifactsDir } from './platform-under-test';

it(
  'survives ninety seconds of load and faults with nothing lost, doubled, leaked or left unhealthy',
  async () => {
    await mkdir(artifactsDir, { recursive: true });
    const report = await runSoak({
      loadMs: 90_000,
      faultEveryMs: 15_000,
      viewerEveryMs: 2_000,
      uploadEveryMs: 15_000,
      seed: Number(process.env.SOAK_SEED ?? Date.now() % 1e9),
      logFile: join(artifactsDir, 'soak-platform.log'),
      log: (line) => console.log(`[soak] ${line}`),
    });
    // What npm start printed stays in artifacts/soak-platform.log; the data (media, stores) goes either way.
    try {
      console.log(describeSoak(report).join('\n'));
      // Faults happened, and the load went through them.
      expect(report.faults.filter((fault) => fault.kind === 'kill').length).toBeGreaterThan(0);
      expect(report.faults.some((fault) => fault.kind === 'redis-restart')).toBe(true);
      expect(report.stats.titlesPublished.length).toBeGreaterThan(0);
      expect(report.stats.viewersFinished).toBeGreaterThan(10);
      expect(report.stop.busyPorts).toEqual([]);
      expect(
        report.checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.problems.join('; ')}`),
      ).toEqual([]);
    } finally {
      await rm(report.dataDir, { recursive: true, force: true });
    }
  },
  15 * 60_000,
);
