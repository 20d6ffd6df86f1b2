import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MarqueeEvent } from '@marquee/domain';
import { openEventStore, openViewStore, toEventsToAppend } from '@marquee/platform';
import { allProjections } from '@marquee/read-models';
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
    DATA_DIR: join(dir, 'data'),
  };
  const store = await openEventStore(env.EVENT_STORE_URL as string);
  await writeRealisticLog(store, { events: 2500 });
  await store.close();
});

describe('marquee CLI', () => {
  it('replay --all rebuilds every view, shows progress, and swaps them in', () => {
    const run = marquee('replay', '--all');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Rebuilt ${allProjections.length} view\\(s\\) up to position \\d+`));
    expect(run.stderr).toMatch(/events\/s/);
    const status = JSON.parse(marquee('projections', 'status', '--json').stdout);
    expect(status.projections).toHaveLength(allProjections.length);
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
  it('exports events as NDJSON with email addresses pseudonymised unless asked, and never password hashes', () => {
    const plain = marquee('events', 'export', '--type', 'AccountRegistered', '--until', '200');
    expect(plain.code).toBe(0);
    const records = plain.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.type === 'AccountRegistered' && r.position <= 200)).toBe(true);
    expect(plain.stdout).not.toMatch(/@example\.com|scrypt/);
    const personal = marquee('events', 'export', '--type', 'AccountRegistered', '--include-personal-data');
    expect(personal.stdout).toMatch(/viewer0@example\.com/);
    expect(personal.stdout).not.toMatch(/scrypt/);
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
    expect(lines[0]).toBe('position,recordedAt,stream,type,schemaVersion,data,metadata');
    const positions = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(positions.length).toBeGreaterThan(10);
    expect(positions.every((p) => p >= 1000 && p <= 1100)).toBe(true);
    expect(lines[1]).toMatch(/,playback-s\d+,PlaybackProgressed,1,"\{""sessionId""/);
    expect(run.stderr).toMatch(/Exported \d+ event\(s\)/);
  });
});

describe('marquee events export: personal data', () => {
  const email = 'Ada.Lovelace@Example.com';
  const emailHash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 40);
  const ip = '203.0.113.9';
  const at = '2026-11-24T10:00:00.000Z';
  let personalDir: string;
  let personalEnv: NodeJS.ProcessEnv;
  const exportWith = (extraEnv: NodeJS.ProcessEnv, ...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'events', 'export', ...args], {
      env: { ...personalEnv, ...extraEnv },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const records = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

  beforeAll(async () => {
    personalDir = mkdtempSync(join(tmpdir(), 'marquee-export-'));
    personalEnv = {
      ...process.env,
      EVENT_STORE_URL: `sqlite:${join(personalDir, 'events.db')}`,
      VIEW_STORE_URL: `sqlite:${join(personalDir, 'views.db')}`,
      DATA_DIR: join(personalDir, 'data'),
    };
    delete personalEnv.EXPORT_KEY;
    const store = await openEventStore(personalEnv.EVENT_STORE_URL as string);
    const append = (stream: string, events: MarqueeEvent[], metadata: Record<string, unknown> = {}) =>
      store.appendToStream(stream, toEventsToAppend(stream, events, { metadata }));
    await append(`email-${emailHash}`, [{ type: 'EmailClaimed', data: { accountId: 'a1', at } }]);
    await append(
      'account-a1',
      [
        {
          type: 'AccountRegistered',
          data: { accountId: 'a1', email, passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', at },
        },
        { type: 'ProfileCreated', data: { accountId: 'a1', profileId: 'p1', name: 'Ada Lovelace', kids: false, at } },
        {
          type: 'AccountPasswordRehashed',
          data: { accountId: 'a1', passwordHash: 'scrypt$131072$8$1$c2FsdA$aGFzaA', at },
        },
      ],
      // As a request through the player's server might be recorded: who asked, and from where.
      { requestId: 'r1', clientIp: ip, actor: email.toLowerCase(), forwarded: { for: [ip] } },
    );
    await append('account-a1', [{ type: 'SubscriptionStarted', data: { accountId: 'a1', plan: 'basic', at } }], {
      requestId: 'r2',
      remote: ip,
    });
    await store.close();
  });

  it('replaces every personal field in data, metadata and stream names by a keyed pseudonym, the same person the same way', () => {
    const run = exportWith({});
    expect(run.code).toBe(0);
    for (const personal of [/lovelace/i, /example\.com/i, /203\.0\.113\.9/, /scrypt/, new RegExp(emailHash)])
      expect(run.stdout).not.toMatch(personal);
    const [claimed, registered, profile, rehashed, subscribed] = records(run.stdout);
    const person = registered.data.email;
    expect(person).toMatch(/^anon-[\w-]{22}$/);
    // The address, in any case and wherever it appears: one person, one pseudonym.
    expect(registered.metadata.actor).toBe(person);
    // The claim's stream is named by the address's unsalted hash: pseudonymised too (its accountId joins it up).
    expect(claimed.stream).toMatch(/^email-anon-[\w-]{22}$/);
    expect(claimed.data.accountId).toBe('a1');
    expect(profile.data).toMatchObject({ accountId: 'a1', profileId: 'p1', name: expect.stringMatching(/^anon-/) });
    expect(rehashed.data.passwordHash).toMatch(/^anon-/);
    expect(registered.metadata.clientIp).toMatch(/^anon-/);
    expect(registered.metadata.forwarded.for).toEqual([registered.metadata.clientIp]);
    expect(subscribed.metadata).toEqual({ requestId: 'r2', remote: registered.metadata.clientIp });
    // Ids, plans and times are not personal: they stay for analysis.
    expect(subscribed.data).toEqual({ accountId: 'a1', plan: 'basic', at });

    // The key is kept (in DATA_DIR's development secrets): the next export names everyone the same.
    expect(exportWith({}).stdout).toBe(run.stdout);
    // Another key, other pseudonyms.
    const other = records(exportWith({ EXPORT_KEY: 'another-export-key-of-at-least-32-chars' }).stdout);
    expect(other[1].data.email).toMatch(/^anon-/);
    expect(other[1].data.email).not.toBe(person);
  });

  it('keeps the address and names only when asked, and never a password hash', () => {
    const run = exportWith({}, '--include-personal-data');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(email);
    expect(run.stdout).toContain('Ada Lovelace');
    expect(run.stdout).not.toMatch(/scrypt/);
  });

  it('writes the file for its owner only, even over a file others could read', () => {
    const out = join(personalDir, 'export.ndjson');
    writeFileSync(out, 'old\n', { mode: 0o644 });
    chmodSync(out, 0o644);
    const run = exportWith({}, '--out', out);
    expect(run.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5);
    const fresh = join(personalDir, 'fresh.csv');
    expect(exportWith({}, '--format', 'csv', '--out', fresh).code).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
  });

  it('says what is wrong with an --out it cannot write, and a bad EXPORT_KEY', () => {
    const run = exportWith({}, '--out', join(personalDir, 'no-such-folder', 'x.ndjson'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^marquee: .*no-such-folder/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const short = exportWith({ EXPORT_KEY: 'short' });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/EXPORT_KEY/);
  });
});
