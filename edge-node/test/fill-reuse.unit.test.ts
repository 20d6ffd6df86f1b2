import { mkdtempSync } from 'node:fs';
import { cp, link, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PackageIndex, readPackageIndex } from '@marquee/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { type EdgeDisk, openEdgeDisk } from '../src/content-disk';
import { reuseHeldFiles } from '../src/fill-reuse';
import { writePackage } from './edge-fixtures';

/*
 * Which files of a package an edge takes from its own disk: on a temporary folder, no process.
 * (The whole fill over HTTP, with the bytes counted at the upstream, is fill-revision.int.test.ts.)
 */

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** An edge holding `t1/e1`, and the index of a package `encodingId` of `titleId` that shares the poster and segment with it. */
const edgeHoldingFirstRevision = async (titleId = 't1', encodingId = 'e2') => {
  const root = mkdtempSync(join(tmpdir(), 'marquee-reuse-'));
  dirs.push(root);
  const origin = join(root, 'origin');
  const held = [
    { path: 'poster.jpg', bytes: 5_000 },
    { path: 'segment-v360-00001.m4s', bytes: 40_000 },
    { path: 'manifest.mpd', text: '<MPD/>' },
  ];
  await writePackage(origin, 't1', 'e1', held);
  const disk = await openEdgeDisk(join(root, 'edge'));
  await cp(join(origin, 't1', 'e1'), disk.partialDir('t1', 'e1'), { recursive: true });
  await disk.install('t1', 'e1');
  // Same bytes for the first two files: the same sha256 in the other package's index.
  await cp(join(origin, 't1', 'e1'), join(origin, titleId, encodingId), { recursive: true });
  const { index: base } = await readPackageIndex(join(origin, titleId, encodingId));
  const index: PackageIndex = {
    ...base,
    titleId,
    encodingId,
    files: [
      ...base.files.filter((file) => file.path !== 'manifest.mpd'),
      { path: 'captions-fr.vtt', size: 30, sha256: 'a'.repeat(64) },
      { path: 'manifest.mpd', size: 40, sha256: 'b'.repeat(64) },
    ],
  };
  return { disk, index, heldDir: join(root, 'edge', 'content', 't1', 'e1') };
};

describe('a fill taking files from packages the edge holds', () => {
  it('hard-links every file whose sha256 a held package of the title has, and nothing else', async () => {
    const { disk, index, heldDir } = await edgeHoldingFirstRevision();
    expect(await reuseHeldFiles(disk, index)).toMatchObject({ reusedBytes: 45_000, files: 2 });
    const partial = disk.partialDir('t1', 'e2');
    expect((await readdir(partial)).toSorted()).toEqual(['poster.jpg', 'segment-v360-00001.m4s']);
    const [linked, original] = await Promise.all([
      stat(join(partial, 'poster.jpg')),
      stat(join(heldDir, 'poster.jpg')),
    ]);
    expect(linked.ino).toBe(original.ino);
  });
  it('counts files linked before a restart once more, without linking them again', async () => {
    const { disk, index } = await edgeHoldingFirstRevision();
    await reuseHeldFiles(disk, index);
    expect(await reuseHeldFiles(disk, index)).toMatchObject({ reusedBytes: 45_000, files: 2 });
  });
  it('takes nothing from another title, nor a held file whose size disagrees with its index', async () => {
    const other = await edgeHoldingFirstRevision('t2', 'e1');
    expect(await reuseHeldFiles(other.disk, other.index)).toMatchObject({ reusedBytes: 0, files: 0 });
    const { disk, index, heldDir } = await edgeHoldingFirstRevision();
    await truncate(join(heldDir, 'segment-v360-00001.m4s'), 10);
    expect(await reuseHeldFiles(disk, index)).toMatchObject({ reusedBytes: 5_000, files: 1 });
  });
});

describe('what each revision of a title is charged with on the disk', () => {
  /** Revisions e1, e2, e3 of t1, installed in turn, each linking e1's poster and with a segment of its own. */
  const threeRevisions = async () => {
    const root = mkdtempSync(join(tmpdir(), 'marquee-kept-'));
    dirs.push(root);
    const disk = await openEdgeDisk(join(root, 'edge'));
    for (const [n, encodingId] of ['e1', 'e2', 'e3'].entries()) {
      const origin = join(root, 'origin');
      await writePackage(origin, 't1', encodingId, [
        { path: 'poster.jpg', bytes: 5_000 },
        { path: 'segment-v360-00001.m4s', bytes: 1_000 * (n + 1) },
      ]);
      await cp(join(origin, 't1', encodingId), disk.partialDir('t1', encodingId), { recursive: true });
      if (encodingId !== 'e1') {
        await rm(join(disk.partialDir('t1', encodingId), 'poster.jpg'));
        await link(
          join(root, 'edge', 'content', 't1', 'e1', 'poster.jpg'),
          join(disk.partialDir('t1', encodingId), 'poster.jpg'),
        );
      }
      await disk.install('t1', encodingId);
    }
    return disk;
  };
  const revision = (encodingId: string) => ({ titleId: 't1', encodingId });
  const chargedTo = (disk: EdgeDisk, ...encodingIds: string[]) => disk.chargedTo(encodingIds.map(revision));

  it('charges a shared file to the latest revision that has it, and to the one before once it goes', async () => {
    const disk = await threeRevisions();
    const all = chargedTo(disk, 'e1', 'e2', 'e3');
    // Every file once: what the disk uses.
    expect([...all.values()].reduce((total, bytes) => total + bytes, 0)).toBe(disk.usedBytes());
    // Without e3 the poster is e2's again, and e1's without e2 too.
    const withoutLatest = chargedTo(disk, 'e1', 'e2');
    expect((withoutLatest.get('e2') ?? 0) - (all.get('e2') ?? 0)).toBe(5_000);
    expect(withoutLatest.get('e1')).toBe(all.get('e1'));
    expect((chargedTo(disk, 'e1').get('e1') ?? 0) - (all.get('e1') ?? 0)).toBe(5_000);
    // Without an older one, the latest keeps what it had.
    expect(chargedTo(disk, 'e2', 'e3').get('e3')).toBe(all.get('e3'));
  });
});
