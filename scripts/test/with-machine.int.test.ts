import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A PATH holding node and nothing else: no ffmpeg, no chromium, no nginx. */
const bareBin = () => {
  const bin = mkdtempSync(join(tmpdir(), 'marquee-bare-path-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
};

const withMachine = (purpose: string, marker: string) =>
  spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/with-machine.ts',
      purpose,
      '--',
      'node',
      '-e',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: bareBin(), MARQUEE_INSTALL: '0' },
    },
  );

describe('the README commands on a machine without the system tools', () => {
  it('stop before starting anything, naming each missing tool and its install command', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'marquee-marker-')), 'ran');
    const result = withMachine('start', marker);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^ {2}missing ffmpeg \(encodes uploads.*\): install it with .*install -y ffmpeg/m);
    expect(result.stderr).toMatch(/^ {2}missing ffprobe \(.*\): install it with .*install -y ffmpeg/m);
    expect(result.stderr).toContain('Nothing was started.');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(marker)).toBe(false);
  });

  it('asks the tests for chromium and nginx as well', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'marquee-marker-')), 'ran');
    const result = withMachine('test', marker);
    expect(result.status).toBe(1);
    for (const tool of ['ffmpeg', 'chromium', 'docker-compose']) expect(result.stderr).toContain(`missing ${tool} (`);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs the command when the machine has what it needs', () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'marquee-marker-')), 'ran');
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/with-machine.ts',
        'start',
        '--',
        process.execPath,
        '-e',
        `require('fs').writeFileSync(${JSON.stringify(marker)}, process.env.REDIS_URL)`,
      ],
      { cwd: root, encoding: 'utf8', env: { ...process.env, MARQUEE_INSTALL: '0' } },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('Redis for the embedded set-up', () => {
  it('is started when nothing answers at a local REDIS_URL, and stopped when the command ends', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const url = `redis://127.0.0.1:${port}`;
    const marker = join(mkdtempSync(join(tmpdir(), 'marquee-marker-')), 'ran');
    const ping = `const s=require('net').connect(${port},'127.0.0.1',()=>s.write('PING\\r\\n'));s.on('data',d=>{require('fs').writeFileSync(${JSON.stringify(marker)},String(d));s.end()})`;
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/with-machine.ts', 'start', '--', process.execPath, '-e', ping],
      { cwd: root, encoding: 'utf8', env: { ...process.env, REDIS_URL: url, MARQUEE_INSTALL: '0' } },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`setup: no Redis answers at ${url}: starting redis-server`);
    expect(readFileSync(marker, 'utf8')).toBe('+PONG\r\n');
    const stillThere = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      socket.unref();
    });
    expect(stillThere).toBe(false);
  });
});
