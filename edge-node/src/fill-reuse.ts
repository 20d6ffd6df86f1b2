import { copyFile, link, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type PackageFile, type PackageIndex, packageIndexFileName, parsePackageIndex } from '@marquee/platform';
import type { EdgeDisk } from './content-disk';

/*
 * A revision of a package shares most of its files with the encoding before it (the origin
 * hard-links them, so index.json gives them the same sha256). A fill takes every file whose
 * sha256 matches a file of a package of the same title this edge holds from its own disk: a hard
 * link (a copy where the filesystem refuses one) into the fill's partial folder. Only the rest
 * is downloaded.
 *
 * Verified by size, not hashed again: the held file was hashed as it arrived, against its own
 * index which lists this sha256, and a package is never written once in place (a new encoding
 * gets a new folder). Hashing it again would read the whole title back from disk, the very cost
 * the reuse saves, for a fault (bit rot) that would already be what viewers of the held package
 * are sent. The size check catches a held index and file that disagree.
 *
 * Eviction stays safe: removing one package unlinks its names only; a file shared with the
 * other stays on disk as long as one name points to it.
 */

type HeldFile = { path: string; size: number };

/** Every file of the title's whole packages on this edge (but `encodingId`), by sha256. */
const heldFilesOf = async (disk: EdgeDisk, titleId: string, encodingId: string) => {
  const bySha = new Map<string, HeldFile>();
  for (const held of disk.held()) {
    if (held.titleId !== titleId || held.encodingId === encodingId) continue;
    const dir = join(disk.contentDir, held.titleId, held.encodingId);
    // Evicted a moment ago, or unreadable: nothing to take from it.
    const text = await readFile(join(dir, packageIndexFileName), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let index: PackageIndex;
    try {
      ({ index } = parsePackageIndex(text, dir));
    } catch {
      continue;
    }
    for (const file of index.files)
      if (!bySha.has(file.sha256))
        bySha.set(file.sha256, { path: join(dir, ...file.path.split('/')), size: file.size });
  }
  return bySha;
};

const identity = (path: string) =>
  stat(path).then(
    (stats) => ({ size: stats.size, inode: `${stats.dev}:${stats.ino}` }),
    () => undefined,
  );

/** A hard link to `from` at `to`, or a copy where links are refused; whole or not at all. */
const linkOrCopy = async (from: string, to: string, temporary: string) => {
  await mkdir(dirname(to), { recursive: true });
  let linked = true;
  try {
    await link(from, temporary);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The held package went (evicted meanwhile): the file is downloaded instead.
    if (code === 'ENOENT') return undefined;
    await copyFile(from, temporary);
    linked = false;
  }
  try {
    await rename(temporary, to);
    return linked ? 'linked' : 'copied';
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

export type Reuse = {
  /** Bytes of the package's files taken from packages already held, not downloaded. */
  reusedBytes: number;
  files: number;
  /** The files linked, by inode (with their sizes): they take no room beyond the package they came from. */
  inodes: Map<string, number>;
};

export const noReuse = (): Reuse => ({ reusedBytes: 0, files: 0, inodes: new Map() });

/**
 * Puts into the fill's partial folder every file of `index` that a held package of the title
 * has (same sha256 and size) and that is not there yet. A file found already there that is the
 * held file itself (the same inode: linked by a run before a restart) counts as reused too.
 */
export const reuseHeldFiles = async (disk: EdgeDisk, index: PackageIndex): Promise<Reuse> => {
  const held = await heldFilesOf(disk, index.titleId, index.encodingId);
  const reuse = noReuse();
  if (held.size === 0) return reuse;
  const dir = disk.partialDir(index.titleId, index.encodingId);
  // A copy (where links are refused) takes room of its own: only a link shares the held file's.
  const counted = (file: PackageFile, sharedInode: string | undefined) => {
    reuse.reusedBytes += file.size;
    reuse.files += 1;
    if (sharedInode) reuse.inodes.set(sharedInode, file.size);
  };
  for (const file of index.files) {
    const source = held.get(file.sha256);
    if (!source || source.size !== file.size) continue;
    const destination = join(dir, ...file.path.split('/'));
    const [there, original] = await Promise.all([identity(destination), identity(source.path)]);
    if (original?.size !== file.size) continue;
    if (there?.size === file.size) {
      if (there.inode === original.inode) counted(file, original.inode);
      continue;
    }
    const taken = await linkOrCopy(source.path, destination, disk.temporaryBeside(destination));
    if (taken) counted(file, taken === 'linked' ? original.inode : undefined);
  }
  return reuse;
};
