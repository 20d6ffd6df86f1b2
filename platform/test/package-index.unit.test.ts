import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parsePackageIndex,
  readPackageIndex,
  UnreadablePackageIndex,
  verifyPackage,
  writePackageIndex,
} from '../src/content/package-index';

const description = {
  titleId: 't1',
  encodingId: 'e1',
  ladder: [{ width: 640, height: 360, videoBitrateKbps: 700 }],
  durationSeconds: 6,
  encodeSeconds: 1.5,
};
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('package index', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'package-index-'));
    await writeFile(join(dir, 'manifest.mpd'), '<MPD/>');
    await mkdir(join(dir, 'video'));
    await writeFile(join(dir, 'video', 'segment-1.m4s'), Buffer.alloc(200_000, 7));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lists every file with its size and sha256, and summarises itself', async () => {
    const { summary } = await writePackageIndex(dir, description);
    const { index } = await readPackageIndex(dir);
    expect(index.files).toEqual([
      { path: 'manifest.mpd', size: 6, sha256: sha256('<MPD/>') },
      { path: 'video/segment-1.m4s', size: 200_000, sha256: sha256(Buffer.alloc(200_000, 7)) },
    ]);
    expect(index.totalBytes).toBe(200_006);
    expect(summary).toEqual({ files: 2, bytes: 200_006, sha256: sha256(await readFile(join(dir, 'index.json'))) });
    expect(await verifyPackage(dir)).toEqual([]);
  });

  it('finds changed, missing and unlisted files', async () => {
    await writePackageIndex(dir, description);
    await writeFile(join(dir, 'manifest.mpd'), '<MPD!>');
    await rm(join(dir, 'video', 'segment-1.m4s'));
    await writeFile(join(dir, 'stray.tmp'), 'x');
    expect(await verifyPackage(dir)).toEqual([
      { path: 'manifest.mpd', problem: 'sha256 differs from index.json' },
      { path: 'video/segment-1.m4s', problem: 'missing' },
      { path: 'stray.tmp', problem: 'not listed in index.json' },
    ]);
  });

  it('refuses an index that is missing, not JSON, or names a path outside the package', async () => {
    await expect(readPackageIndex(dir)).rejects.toThrow(/index.json cannot be used: it does not exist/);
    expect(() => parsePackageIndex('{', 'upstream')).toThrow(UnreadablePackageIndex);
    const escaping = {
      version: 1,
      ...description,
      files: [{ path: '../../etc/passwd', size: 1, sha256: sha256('x') }],
      totalBytes: 1,
    };
    expect(() => parsePackageIndex(JSON.stringify(escaping), 'upstream')).toThrow(/relative path inside the package/);
  });
});
