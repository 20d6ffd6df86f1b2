/*
 * One platform for the suite: `npm start` in a fresh DATA_DIR, ready when it prints "Open …"
 * and its demo titles are on both edges. Everything it prints goes to artifacts/platform.log.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPlatform } from '../src/index';
import { artifactsDir } from './platform-under-test';

export default async function setup(project: TestProject) {
  // Only this run's screenshots and log: nothing left over from an earlier one.
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const logFile = join(artifactsDir, 'platform.log');
  const started = Date.now();
  const platform = await startPlatform({
    logFile,
    log: (line) => console.log(`[e2e] ${line}`),
    // The failover test needs its killed edge to stay dead until steering leaves it out; the soak tests restarts.
    env: { SERVICE_RESTART_DELAY_SECONDS: '60' },
  });
  console.log(`[e2e] npm start answered in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${logFile})`);
  try {
    const demoTitles = await platform.demoTitles(5 * 60_000);
    console.log(
      `[e2e] demo titles ready after ${((Date.now() - started) / 1000).toFixed(1)} s: ${demoTitles.join(', ')}`,
    );
    project.provide('platform', {
      dataDir: platform.dataDir,
      playerUrl: platform.playerUrl,
      commandApiUrl: platform.commandApiUrl,
      queryApiUrl: platform.queryApiUrl,
      originUrl: platform.originUrl,
      edgeUrls: platform.edgeUrls,
      contentKey: platform.contentKey,
      processGroup: platform.pid,
      demoTitles,
    });
  } catch (error) {
    await platform.stop();
    throw error;
  }

  return async () => {
    // The shutdown test stops it as Ctrl-C does; this only makes sure nothing is left behind.
    const stopped = await platform.stop();
    // A few hundred megabytes of video per run; what it printed stays in artifacts/platform.log.
    rmSync(platform.dataDir, { recursive: true, force: true });
    if (stopped.busyPorts.length > 0)
      throw new Error(`after npm start stopped, ports ${stopped.busyPorts.join(', ')} are still in use`);
  };
}
