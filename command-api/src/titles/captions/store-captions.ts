/**
 * Captions kept by their content: `<uploads>/captions/<sha256>.vtt`, so the same file sent
 * twice (for any title) is one file, and a path in an event always holds what its sha256 says.
 * Written under a temporary name, flushed, then renamed: a reader never sees half a file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type StoredCaptions = { path: string; sha256: string };

const exists = (path: string) =>
  stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );

export const storeCaptions = async (uploadsDirectory: string, text: string): Promise<StoredCaptions> => {
  const bytes = Buffer.from(text, 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const directory = join(uploadsDirectory, 'captions');
  const path = join(directory, `${sha256}.vtt`);
  if (await exists(path)) return { path, sha256 };
  await mkdir(directory, { recursive: true });
  const partPath = `${path}.${randomUUID()}.part`;
  try {
    const file = await open(partPath, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partPath, path);
  } finally {
    await rm(partPath, { force: true });
  }
  return { path, sha256 };
};
