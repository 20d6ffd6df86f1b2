import { randomUUID } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, stat, utimes } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Writable } from 'node:stream';
import type { PackageRef } from '@marquee/domain';
import { packageIndexFileName, parsePackageIndex } from '@marquee/platform';
import { LRUCache } from 'lru-cache';
import type { ContentPath } from './content-path';

/*
 * An edge's disk: `content/<titleId>/<encodingId>/` holds whole, verified packages and is the
 * only folder served; `partial/<titleId>/<encodingId>/` holds fills in progress (a file appears
 * there only once its sha256 matched); `trash/` is where evicted packages go to be deleted, so
 * a package leaves the served folder in one rename. A package's folder mtime records when it was
 * last served, which orders evictions and survives restarts.
 *
 * The origin serves the encoders' folder as it is: `<titleId>/<encodingId>/` right at its root.
 */

/** The edge's disk had no room for a file of a fill: that fill fails, what is held is still served. */
export class DiskFull extends Error {
  constructor(file: string, cause: NodeJS.ErrnoException) {
    super(`disk full: no room left on the edge's disk for ${file} (${cause.code})`);
    this.name = 'DiskFull';
  }
}

/** Out of space or out of quota: the two ways a write finds no room. */
export const isDiskFull = (error: unknown): error is NodeJS.ErrnoException => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
};

export type HeldEncoding = {
  titleId: string;
  encodingId: string;
  bytes: number;
  /** When it was last served, or installed; in ms. */
  lastServedAt: number;
  /** When a request last asked for it since the edge started (null: none did), in ms. */
  lastRequestedAt: number | null;
};
export type ServableFile = { path: string; stats: Stats };

const keyOf = (titleId: string, encodingId: string) => `${titleId}/${encodingId}`;
// Writing a folder's mtime on every segment served would cost a syscall each; once a minute orders evictions as well.
const touchEveryMs = 60_000;

const sum = (sizes: Iterable<number>) => {
  let total = 0;
  for (const size of sizes) total += size;
  return total;
};

const exists = async (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** A file on disk, whatever its names: hard links of one file share it. */
const inodeOf = (stats: Stats) => `${stats.dev}:${stats.ino}`;

/**
 * A package's size (its files plus index.json) and the files it is made of, by inode: a revision
 * hard-links the files it shares with the one before, so the disk holds them once.
 */
const packageFiles = async (dir: string) => {
  const text = await readFile(join(dir, packageIndexFileName), 'utf8');
  const { index } = parsePackageIndex(text, dir);
  const files = new Map<string, number>();
  for (const path of [packageIndexFileName, ...index.files.map((file) => file.path)]) {
    const stats = await stat(join(dir, ...path.split('/')));
    files.set(inodeOf(stats), stats.size);
  }
  return { bytes: index.totalBytes + Buffer.byteLength(text), files };
};

/** Resolves a checked content path to a regular file under `root`, following no link out of it. */
const resolveInside = async (rootReal: string, contentDir: string, path: ContentPath) => {
  let real: string;
  try {
    real = await realpath(join(contentDir, path.titleId, path.encodingId, ...path.file.split('/')));
  } catch {
    return undefined;
  }
  if (!real.startsWith(rootReal + sep)) return undefined;
  const stats = await stat(real).catch(() => undefined);
  return stats?.isFile() ? { path: real, stats } : undefined;
};

export type OriginDisk = {
  readonly contentDir: string;
  resolve(path: ContentPath): Promise<ServableFile | undefined>;
};

/*
 * Packages never change once written (a new encoding gets a new folder), so a file found once is
 * remembered: a hot segment then costs no syscall before its bytes are sent. Only files found are
 * remembered, and an edge forgets a package's files when it evicts it.
 */
const rememberFound = <Stamp>(
  resolve: (path: ContentPath) => Promise<ServableFile | undefined>,
  stampOf: (path: ContentPath) => Stamp | undefined,
) => {
  const found = new LRUCache<string, { file: ServableFile; stamp: Stamp }>({ max: 20_000 });
  return async (path: ContentPath) => {
    const stamp = stampOf(path);
    if (stamp === undefined) return undefined;
    const known = found.get(path.key);
    if (known && known.stamp === stamp) return known.file;
    const file = await resolve(path);
    if (file) found.set(path.key, { file, stamp });
    return file;
  };
};

export const openOriginDisk = async (originDir: string): Promise<OriginDisk> => {
  await mkdir(originDir, { recursive: true });
  const rootReal = await realpath(originDir);
  return {
    contentDir: originDir,
    resolve: rememberFound(
      (path) => resolveInside(rootReal, originDir, path),
      () => true,
    ),
  };
};

export type EdgeDisk = OriginDisk & {
  holds(titleId: string, encodingId: string): boolean;
  held(): HeldEncoding[];
  /** What the held packages take on disk: a file shared by hard link between packages counts once. */
  usedBytes(): number;
  /**
   * What removing these packages would free: their files that no other held package links, and
   * that are not in `keep` (inodes a fill in progress linked).
   */
  freedByRemoving(packages: readonly { titleId: string; encodingId: string }[], keep?: ReadonlySet<string>): number;
  /** Of these files (by inode), the bytes a held package already has on disk. */
  heldBytesOf(inodes: ReadonlyMap<string, number>): number;
  /**
   * The bytes each of `holders` (a title's held packages, in the order they were filled) is charged
   * with on the disk: its files, a file they share counted for the last of them that has it, as the
   * edge stream charges it (EdgeFillCompleted.shared).
   */
  chargedTo(holders: readonly PackageRef[]): Map<string, number>;
  /** Marks a held package as just served (for least-recently-served eviction). */
  touch(titleId: string, encodingId: string): void;
  /** Where a fill of this encoding collects its verified files. */
  partialDir(titleId: string, encodingId: string): string;
  /** Moves a finished fill into the served folder in one rename. */
  install(titleId: string, encodingId: string): Promise<HeldEncoding>;
  /** Takes a package (held or partial) off the disk; it stops being served at once. */
  remove(titleId: string, encodingId: string): Promise<void>;
  /** A temporary file name beside `path`, on the same filesystem so a rename can finish it. */
  temporaryBeside(path: string): string;
  /** Where a fill writes a file's bytes as they arrive; on disk (fsync) once it has finished. */
  openForWriting(path: string): Writable;
};

/** `now` stamps when a package was last served, for least-recently-served eviction. */
export const openEdgeDisk = async (
  edgeDir: string,
  { now = () => new Date() }: { now?: () => Date } = {},
): Promise<EdgeDisk> => {
  const contentDir = join(edgeDir, 'content');
  const partialRoot = join(edgeDir, 'partial');
  const trash = join(edgeDir, 'trash');
  await rm(trash, { recursive: true, force: true });
  await Promise.all([contentDir, partialRoot, trash].map((dir) => mkdir(dir, { recursive: true })));
  const rootReal = await realpath(contentDir);

  const held = new Map<string, HeldEncoding>();
  /** Each held package's files, by inode (with their sizes). */
  const filesOf = new Map<string, ReadonlyMap<string, number>>();
  const lastTouched = new Map<string, number>();
  for (const title of await readdir(contentDir, { withFileTypes: true })) {
    if (!title.isDirectory()) continue;
    for (const encoding of await readdir(join(contentDir, title.name), { withFileTypes: true })) {
      if (!encoding.isDirectory()) continue;
      const dir = join(contentDir, title.name, encoding.name);
      const found = await packageFiles(dir).catch(() => undefined);
      // Only whole packages are ever moved here; anything else is not ours to serve.
      if (found === undefined) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      const { mtimeMs } = await stat(dir);
      const key = keyOf(title.name, encoding.name);
      held.set(key, {
        titleId: title.name,
        encodingId: encoding.name,
        bytes: found.bytes,
        lastServedAt: mtimeMs,
        lastRequestedAt: null,
      });
      filesOf.set(key, found.files);
    }
  }

  const partialDir = (titleId: string, encodingId: string) => join(partialRoot, titleId, encodingId);
  const servedDir = (titleId: string, encodingId: string) => join(contentDir, titleId, encodingId);

  return {
    contentDir,
    // A package's entry is replaced when it is installed again and dropped when it is evicted,
    // so a file remembered under an old entry is never served.
    resolve: rememberFound(
      (path) => resolveInside(rootReal, contentDir, path),
      (path) => held.get(keyOf(path.titleId, path.encodingId)),
    ),
    holds: (titleId, encodingId) => held.has(keyOf(titleId, encodingId)),
    held: () => [...held.values()],
    usedBytes: () => {
      const onDisk = new Map<string, number>();
      for (const files of filesOf.values()) for (const [inode, size] of files) onDisk.set(inode, size);
      return sum(onDisk.values());
    },
    freedByRemoving: (packages, keep = new Set()) => {
      const leaving = new Set(packages.map((item) => keyOf(item.titleId, item.encodingId)));
      const staying = new Set(keep);
      for (const [key, files] of filesOf) if (!leaving.has(key)) for (const inode of files.keys()) staying.add(inode);
      const freed = new Map<string, number>();
      for (const key of leaving)
        for (const [inode, size] of filesOf.get(key) ?? []) if (!staying.has(inode)) freed.set(inode, size);
      return sum(freed.values());
    },
    heldBytesOf: (inodes) => {
      let bytes = 0;
      for (const [inode, size] of inodes) if ([...filesOf.values()].some((files) => files.has(inode))) bytes += size;
      return bytes;
    },
    chargedTo: (holders) => {
      const chargedWith = new Map<string, { encodingId: string; size: number }>();
      for (const holder of holders)
        for (const [inode, size] of filesOf.get(keyOf(holder.titleId, holder.encodingId)) ?? [])
          chargedWith.set(inode, { encodingId: holder.encodingId, size });
      const charged = new Map<string, number>();
      for (const { encodingId, size } of chargedWith.values())
        charged.set(encodingId, (charged.get(encodingId) ?? 0) + size);
      return charged;
    },
    touch: (titleId, encodingId) => {
      const key = keyOf(titleId, encodingId);
      const entry = held.get(key);
      if (!entry) return;
      const when = now();
      entry.lastServedAt = when.getTime();
      entry.lastRequestedAt = when.getTime();
      if (when.getTime() - (lastTouched.get(key) ?? 0) < touchEveryMs) return;
      lastTouched.set(key, when.getTime());
      utimes(servedDir(titleId, encodingId), when, when).catch(() => {});
    },
    partialDir,
    install: async (titleId, encodingId) => {
      const from = partialDir(titleId, encodingId);
      const to = servedDir(titleId, encodingId);
      await mkdir(join(contentDir, titleId), { recursive: true });
      // Resumed after a crash between the rename and its report: already in place.
      if (await exists(to)) await rm(from, { recursive: true, force: true });
      else await rename(from, to);
      const { bytes, files } = await packageFiles(to);
      const entry = { titleId, encodingId, bytes, lastServedAt: now().getTime(), lastRequestedAt: null };
      held.set(keyOf(titleId, encodingId), entry);
      filesOf.set(keyOf(titleId, encodingId), files);
      return entry;
    },
    remove: async (titleId, encodingId) => {
      held.delete(keyOf(titleId, encodingId));
      filesOf.delete(keyOf(titleId, encodingId));
      for (const dir of [servedDir(titleId, encodingId), partialDir(titleId, encodingId)]) {
        const doomed = join(trash, randomUUID());
        // Responses already streaming keep their open files; new requests no longer find it.
        const moved = await rename(dir, doomed).then(
          () => true,
          () => false,
        );
        if (moved) await rm(doomed, { recursive: true, force: true });
      }
    },
    temporaryBeside: (path) => `${path}.${randomUUID().slice(0, 8)}.part`,
    // Chunks gather while a write is under way and go down in one writev (at 16 KiB, one syscall
    // each); the file is flushed to disk as it closes, so its bytes are there before its name is.
    openForWriting: (path) => createWriteStream(path, { highWaterMark: 1024 * 1024, flush: true }),
  };
};
