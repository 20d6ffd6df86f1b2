import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventStore } from '@marquee/platform';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemandLog } from '../src/testing';

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
let dir: string;
let env: NodeJS.ProcessEnv;
const marquee = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'marquee-simulate-'));
  env = {
    ...process.env,
    EVENT_STORE_URL: `sqlite:${join(dir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dir, 'views.db')}`,
    DATA_DIR: join(dir, 'data'),
  };
  const store = await openEventStore(env.EVENT_STORE_URL as string);
  await writeDemandLog(store, {
    plays: 2000,
    titles: 60,
    outages: [{ edgeId: 'edge-eu', from: new Date('2025-06-01T00:00:00Z'), until: new Date('2025-06-15T00:00:00Z') }],
  });
  await store.close();
});

describe('marquee simulate fill', () => {
  it('prints a table by region with a total, writes an SVG chart, and shows progress', () => {
    const chart = join(dir, 'offload.svg');
    const run = marquee('simulate', 'fill', '--policy', 'popularity', '--capacity', '20GB', '--chart', chart);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Fill policy popularity, 20\.00 GB per edge: 2000 sessions/);
    expect(run.stdout).toMatch(/region\s+plays\s+offload\s+origin egress\s+fill bytes/);
    for (const region of ['ap', 'eu', 'us', 'total'])
      expect(run.stdout).toMatch(new RegExp(`^${region}\\s+\\d+\\s+[\\d.]+ %`, 'm'));
    expect(run.stderr).toMatch(/simulate popularity .*events\/s/);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/Offload ratio under popularity/);
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
  });
  it('gives the same figures twice, and popularity beats LRU on the skewed demand with small disks', () => {
    const figures = (policy: string) => {
      const run = marquee('simulate', 'fill', '--policy', policy, '--capacity', '20GB', '--json');
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout);
    };
    const popularity = figures('popularity');
    expect(figures('popularity')).toEqual(popularity);
    const lru = figures('lru');
    expect(popularity.totals.offloadRatio).toBeGreaterThan(lru.totals.offloadRatio);
    // The outage: plays in eu while its edge was down are health misses.
    expect(popularity.byRegion.find((r: { region: string }) => r.region === 'eu').missPlays.health).toBeGreaterThan(0);
    expect(popularity.byRegion.find((r: { region: string }) => r.region === 'us').missPlays.health).toBe(0);
  });
  it('refuses a bad capacity, policy or time with a clear message and exit code 2', () => {
    const capacity = marquee('simulate', 'fill', '--policy', 'lru', '--capacity', 'lots');
    expect(capacity.code).toBe(2);
    expect(capacity.stderr).toMatch(/--capacity "lots": use a number of bytes, or one with a unit: 500MB, 20GB, 2GiB/);
    const policy = marquee('simulate', 'fill', '--policy', 'random');
    expect(policy.code).toBe(2);
    expect(policy.stderr).toMatch(/"random" is not a fill policy; there are: fill-all, lru, popularity/);
    expect(marquee('simulate', 'fill', '--policy', 'lru', '--from', 'last week').code).toBe(2);
  });
});
