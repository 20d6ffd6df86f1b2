/*
 * Ctrl-C stops the whole platform: SIGINT to `npm start`'s process group, as a terminal sends
 * it, leaves no process behind and every port free. The suite's platform is gone after it (the
 * token renewal test starts its own on the same data).
 */
import { describe, expect, it } from 'vitest';
import { busyPorts } from '../src/index';
import { eventually, platformUnderTest } from './platform-under-test';

const platform = platformUnderTest();

const groupAlive = () => {
  try {
    process.kill(-platform.processGroup, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Ctrl-C', () => {
  it('stops every service and frees every port', async () => {
    const wasRunning = groupAlive();
    if (wasRunning) process.kill(-platform.processGroup, 'SIGINT');
    await eventually('every process of npm start to exit', async () => !groupAlive(), 30_000);
    await eventually('every port to be free', async () => (await busyPorts()).length === 0, 10_000);
    expect(await busyPorts()).toEqual([]);
    expect(wasRunning, 'npm start had already exited before Ctrl-C (see artifacts/platform.log)').toBe(true);
  });
});
