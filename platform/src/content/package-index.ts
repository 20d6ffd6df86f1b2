/**
 * index.json: the list of every file in an encoded package with its size and sha256, plus what
 * the encoding produced. Edges fill a title from it and verify each file against it; the
 * encoder reads it back when a job runs twice, so the second run reports the first one's result.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  id,
  type LadderRung,
  ladderRung,
  type PackageIndexSummary,
  type PackageTracks,
  packageTracks,
} from '@marquee/domain';
import { z } from 'zod';

export const packageIndexFileName = 'index.json';

// A path an edge can join onto its content folder without leaving it.
const packagePath = z
  .string()
  .min(1)
  .refine(
    (path) =>
      !path.startsWith('/') && !path.includes('\\') && path.split('/').every((part) => !['', '.', '..'].includes(part)),
    'must be a relative path inside the package',
  );

export const packageFile = z.object({
  path: packagePath,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PackageFile = z.infer<typeof packageFile>;

export const packageIndex = z.object({
  version: z.literal(1),
  titleId: id,
  encodingId: id,
  ladder: z.array(ladderRung).min(1),
  durationSeconds: z.number().positive(),
  encodeSeconds: z.number().nonnegative(),
  /** Every file but index.json itself, sorted by path. */
  files: z.array(packageFile).min(1),
  totalBytes: z.number().int().nonnegative(),
  /** The package's audio tracks, captions and previews; absent in packages made before tracks existed. */
  tracks: packageTracks.optional(),
});
export type PackageIndex = z.infer<typeof packageIndex>;

export type PackageDescription = {
  titleId: string;
  encodingId: string;
  ladder: LadderRung[];
  durationSeconds: number;
  encodeSeconds: number;
  tracks?: PackageTracks;
};

/** index.json is missing, is not JSON, or does not describe a package. */
export class UnreadablePackageIndex extends Error {
  readonly code = 'UnreadablePackageIndex';
  constructor(
    readonly location: string,
    readonly problem: string,
  ) {
    super(`The package index ${location} cannot be used: ${problem}.`);
    this.name = 'UnreadablePackageIndex';
  }
}

/** Streams the file through sha256, so a multi-gigabyte segment never sits in memory. */
export const sha256OfFile = async (path: string): Promise<string> => {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
};

const sha256OfText = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every file under `dir`, as package paths ('/'-separated, relative), sorted. */
export const listPackageFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .toSorted();
};

/** `work` over every item, `width` at a time: keeps a disk or a link busy without opening thousands of files at once. */
export const mapFewAtATime = async <T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  width = 4,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
};

const describeFile = async (dir: string, path: string, knownSha256?: string): Promise<PackageFile> => {
  const absolute = join(dir, path);
  const [{ size }, sha256] = await Promise.all([stat(absolute), knownSha256 ?? sha256OfFile(absolute)]);
  return { path, size, sha256 };
};

const summaryOf = (index: PackageIndex, text: string): PackageIndexSummary => ({
  files: index.files.length,
  bytes: index.totalBytes,
  sha256: sha256OfText(text),
});

/**
 * Hashes every file in `dir` and writes `dir/index.json`; the summary is what EncodingSucceeded
 * carries. `knownSha256` gives the hash of files known to be byte-identical to an indexed one (a
 * revision's hard links to its base), which are then not read again.
 */
export const writePackageIndex = async (
  dir: string,
  description: PackageDescription,
  { knownSha256 }: { knownSha256?: ReadonlyMap<string, string> } = {},
): Promise<{ index: PackageIndex; summary: PackageIndexSummary }> => {
  const paths = (await listPackageFiles(dir)).filter((path) => path !== packageIndexFileName);
  const files = await mapFewAtATime(paths, (path) => describeFile(dir, path, knownSha256?.get(path)));
  const index = packageIndex.parse({
    version: 1,
    ...description,
    files,
    totalBytes: files.reduce((total, file) => total + file.size, 0),
  });
  const text = `${JSON.stringify(index, null, 2)}\n`;
  await writeFile(join(dir, packageIndexFileName), text);
  return { index, summary: summaryOf(index, text) };
};

/** Parses index.json text from anywhere (a folder, an upstream over HTTP); `location` names it in errors. */
export const parsePackageIndex = (
  text: string,
  location: string,
): { index: PackageIndex; summary: PackageIndexSummary } => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UnreadablePackageIndex(location, 'it is not JSON');
  }
  const parsed = packageIndex.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnreadablePackageIndex(location, `${issue?.path.join('.') || 'the index'}: ${issue?.message}`);
  }
  return { index: parsed.data, summary: summaryOf(parsed.data, text) };
};

export const readPackageIndex = async (dir: string): Promise<{ index: PackageIndex; summary: PackageIndexSummary }> => {
  const location = join(dir, packageIndexFileName);
  let text: string;
  try {
    text = await readFile(location, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new UnreadablePackageIndex(location, reason);
  }
  return parsePackageIndex(text, location);
};

export type PackageProblem = { path: string; problem: string };

/**
 * Checks every file in `dir` against its index.json. No problems means the package is whole;
 * a file the index does not list is a problem too, since nothing would ever verify it.
 */
export const verifyPackage = async (dir: string): Promise<PackageProblem[]> => {
  const { index } = await readPackageIndex(dir);
  const present = new Set((await listPackageFiles(dir)).filter((path) => path !== packageIndexFileName));
  const listed = new Set(index.files.map((file) => file.path));

  const problems = await mapFewAtATime(index.files, async (expected): Promise<PackageProblem | undefined> => {
    if (!present.has(expected.path)) return { path: expected.path, problem: 'missing' };
    const actual = await describeFile(dir, expected.path);
    if (actual.size !== expected.size) {
      return { path: expected.path, problem: `${actual.size} bytes, index.json says ${expected.size}` };
    }
    if (actual.sha256 !== expected.sha256) return { path: expected.path, problem: 'sha256 differs from index.json' };
    return undefined;
  });
  const unlisted = [...present]
    .filter((path) => !listed.has(path))
    .map((path) => ({ path, problem: 'not listed in index.json' }));
  return [...problems.filter((problem) => problem !== undefined), ...unlisted];
};
