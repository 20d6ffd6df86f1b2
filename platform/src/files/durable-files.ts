/**
 * Small files that must survive a crash whole or not at all (a checkpoint, kept captions):
 * written under a name of their own, flushed to disk, then renamed over the real name, so a
 * reader finds the old file or the new one, never half of one.
 */
import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';

export const writeFileDurably = async (path: string, data: string | Uint8Array): Promise<void> => {
  const partPath = `${path}.${randomUUID()}.part`;
  try {
    const file = await open(partPath, 'wx');
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(partPath, path);
  } finally {
    await rm(partPath, { force: true });
  }
};

/** Flushes a folder's entries (names created, renamed or removed in it) to disk. */
export const syncFolder = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

/** Whether something is at `path`; an error other than "not there" (no permission, a broken disk) is thrown. */
export const pathExists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
