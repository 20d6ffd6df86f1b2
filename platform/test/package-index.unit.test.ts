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

  it("takes the hash of a file known to be another package's (a revision's hard link) without reading it, and keeps the tracks", async () => {
    const tracks = {
      audio: [{ language: 'en', trackId: null }],
      captions: [{ language: 'fr', sha256: 'f'.repeat(64) }],
      thumbnails: null,
    };
    // A hash the file does not have shows it was taken, not measured.
    const knownSha256 = new Map([['video/segment-1.m4s', 'a'.repeat(64)]]);
    await writePackageIndex(dir, { ...description, tracks }, { knownSha256 });
    const { index } = await readPackageIndex(dir);
    expect(index.files).toEqual([
      { path: 'manifest.mpd', size: 6, sha256: sha256('<MPD/>') },
      { path: 'video/segment-1.m4s', size: 200_000, sha256: 'a'.repeat(64) },
    ]);
    expect(index.tracks).toEqual(tracks);
    // An index from before tracks existed still reads.
    await writePackageIndex(dir, description);
    expect((await readPackageIndex(dir)).index.tracks).toBeUndefined();
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
