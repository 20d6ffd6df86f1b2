/**
 * Captions kept by their content: `<uploads>/captions/<sha256>.vtt`, so the same file sent
 * twice (for any title) is one file, and a path in an event always holds what its sha256 says.
 * Written under a temporary name, flushed, then renamed: a reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists, writeFileDurably } from '@marquee/platform';

export type StoredCaptions = { path: string; sha256: string };

export const storeCaptions = async (uploadsDirectory: string, text: string): Promise<StoredCaptions> => {
  const bytes = Buffer.from(text, 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const directory = join(uploadsDirectory, 'captions');
  const path = join(directory, `${sha256}.vtt`);
  if (await pathExists(path)) return { path, sha256 };
  await mkdir(directory, { recursive: true });
  await writeFileDurably(path, bytes);
  return { path, sha256 };
};
