import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContentTokenSecret, loadDevelopmentSecrets, UnreadableSecrets } from '../src';

const script = new URL('./processes/load-secrets.ts', import.meta.url).pathname;

/** Starts `count` processes, lets them all load the secrets at the same moment, and gives what each got. */
const loadAtOnce = async (path: string, count: number) => {
  const go = join(mkdtempSync(join(tmpdir(), 'marquee-secrets-go-')), 'go');
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, go], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready\n')) resolve();
      }),
    );
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const done = new Promise<string>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0 ? resolve(out.split('\n')[1] ?? '') : reject(new Error(`exited ${code}: ${err}`)),
      ),
    );
    return { ready, done };
  });
  await Promise.all(children.map((child) => child.ready));
  writeFileSync(go, '');
  return (await Promise.all(children.map((child) => child.done))).map((line) => JSON.parse(line));
};

describe('development secrets', () => {
  it('eight services starting at once on an empty folder all get the same secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
    const path = join(dir, 'data', 'secrets.json');
    const got = await loadAtOnce(path, 8);
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    for (const secrets of got) expect(secrets).toEqual(onDisk);
    expect(Object.keys(onDisk).sort()).toEqual(['analystKey', 'contentKey', 'contentTokenSecret', 'tokenSecret']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'data'))).toEqual(['secrets.json']);
  });

  it('eight services starting at once on a file missing a secret all add the same one and keep the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
    const path = join(dir, 'secrets.json');
    const old = {
      tokenSecret: 't'.repeat(43),
      contentKey: `content-${'c'.repeat(24)}`,
      analystKey: `analyst-${'a'.repeat(24)}`,
    };
    writeFileSync(path, JSON.stringify(old), { mode: 0o600 });
    const got = await loadAtOnce(path, 8);
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk).toMatchObject(old);
    expect(onDisk.contentTokenSecret).toMatch(/^[\w-]{43}$/);
    for (const secrets of got) expect(secrets).toEqual(onDisk);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('a configured content-token secret wins; otherwise the development one is used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
    const configured = 'k'.repeat(40);
    expect(loadContentTokenSecret({ DATA_DIR: dir, CONTENT_TOKEN_SECRET: configured })).toBe(configured);
    expect(readdirSync(dir)).toEqual([]);
    expect(loadContentTokenSecret({ DATA_DIR: dir })).toBe(
      loadDevelopmentSecrets(join(dir, 'secrets.json')).contentTokenSecret,
    );
  });

  it('a file that is not secrets says what to do instead of a parse error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marquee-secrets-'));
    writeFileSync(join(dir, 'secrets.json'), '{"tokenSecret": ');
    expect(() => loadDevelopmentSecrets(join(dir, 'secrets.json'))).toThrow(UnreadableSecrets);
    expect(() => loadDevelopmentSecrets(join(dir, 'secrets.json'))).toThrow(
      /Delete it to make new development secrets/,
    );
  });
});
