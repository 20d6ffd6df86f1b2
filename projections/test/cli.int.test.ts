import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEventStore, openViewStore } from '@marquee/platform';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeRealisticLog } from '../src/testing';
import { dumpViews } from './view-dump';

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
  dir = mkdtempSync(join(tmpdir(), 'marquee-cli-'));
  env = {
    ...process.env,
    EVENT_STORE_URL: `sqlite:${join(dir, 'events.db')}`,
    VIEW_STORE_URL: `sqlite:${join(dir, 'views.db')}`,
  };
  const store = await openEventStore(env.EVENT_STORE_URL as string);
  await writeRealisticLog(store, { events: 2500 });
  await store.close();
});

describe('marquee CLI', () => {
  it('replay --all rebuilds every view, shows progress, and swaps them in', () => {
    const run = marquee('replay', '--all');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Rebuilt 8 view\(s\) up to position \d+/);
    expect(run.stderr).toMatch(/events\/s/);
    const status = JSON.parse(marquee('projections', 'status', '--json').stdout);
    expect(status.projections).toHaveLength(8);
    for (const p of status.projections) expect(p).toMatchObject({ lag: 0, builtVersion: p.version });
  });
  it('replay --until builds a named snapshot as of a position', async () => {
    const run = marquee('replay', 'catalog', 'accounts', '--until', '400', '--snapshot', 'early');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Snapshot "early" holds catalog, accounts as of position 400/);
    expect(run.stdout).toMatch(/\?asOf=early/);
    const views = await openViewStore(env.VIEW_STORE_URL as string);
    const snapshot = await dumpViews(views, {
      snapshot: 'early',
      projections: [(await import('@marquee/read-models')).accounts],
    });
    await views.close();
    expect(snapshot.accounts?.every((doc) => doc.position <= 400)).toBe(true);
    expect(snapshot.accounts?.length).toBeGreaterThan(0);
  });
  it('refuses unknown projections, bad moments and mixed arguments with a clear message and exit code 2', () => {
    const unknown = marquee('replay', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no projection "nope"; there are: catalog, title-detail/);
    const badMoment = marquee('replay', '--all', '--until', 'yesterday');
    expect(badMoment.code).toBe(2);
    expect(badMoment.stderr).toMatch(/neither a position \(digits\) nor an ISO time/);
    expect(marquee('replay', 'catalog', '--all').code).toBe(2);
    const badType = marquee('events', 'export', '--type', 'Bogus');
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/"Bogus" is not an event type/);
  });
  it('exports events as NDJSON without email addresses unless asked, and never password hashes', () => {
    const plain = marquee('events', 'export', '--type', 'AccountRegistered', '--until', '200');
    expect(plain.code).toBe(0);
    const records = plain.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.type === 'AccountRegistered' && r.position <= 200)).toBe(true);
    expect(plain.stdout).not.toMatch(/@example\.com|passwordHash|scrypt/);
    const personal = marquee('events', 'export', '--type', 'AccountRegistered', '--include-personal-data');
    expect(personal.stdout).toMatch(/viewer0@example\.com/);
    expect(personal.stdout).not.toMatch(/passwordHash/);
  });
  it('exports a range to a CSV file', () => {
    const out = join(dir, 'progress.csv');
    const run = marquee(
      'events',
      'export',
      '--type',
      'PlaybackProgressed',
      '--since',
      '1000',
      '--until',
      '1100',
      '--format',
      'csv',
      '--out',
      out,
    );
    expect(run.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('position,recordedAt,stream,type,schemaVersion,data');
    const positions = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(positions.length).toBeGreaterThan(10);
    expect(positions.every((p) => p >= 1000 && p <= 1100)).toBe(true);
    expect(lines[1]).toMatch(/,playback-s\d+,PlaybackProgressed,1,"\{""sessionId""/);
    expect(run.stderr).toMatch(/Exported \d+ event\(s\)/);
  });
});
