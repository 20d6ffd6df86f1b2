import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { partialFolderName } from '../encoding/encode-package';

/**
 * What an earlier run of this same job left half written (its worker died mid-encode). The job's
 * lock says no other live worker encodes it, so its partial folders can go.
 */
export const removeLeftovers = async (originDir: string, encodingId: string) => {
  const partial = join(originDir, partialFolderName);
  const names = await readdir(partial).catch(() => [] as string[]);
  for (const name of names)
    if (name.startsWith(`${encodingId}-`)) await rm(join(partial, name), { recursive: true, force: true });
};
