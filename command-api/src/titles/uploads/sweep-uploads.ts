/**
 * What no one will finish goes once it is older than the upload expiry: a tus upload never taken
 * (its client gave up, or was told it failed and did not come back) and the `.part` file of a PUT
 * whose process died mid-body. A taken tus upload keeps its file, which is the title's source;
 * only its tus record goes. A PUT's finished source has no record and is never touched.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KvStore, Upload } from '@tus/utils';
import { isTaken } from './tus-uploads';

export type UploadSweepOptions = {
  directory: string;
  /** The tus uploads' records (the store tus was given). */
  records: KvStore<Upload>;
  expiryMs: number;
  now: Date;
  /**
   * Whether an upload whose record is not marked taken was recorded all the same: the process
   * died between recording it and marking its record. Its file is a source then, and stays.
   */
  wasRecorded: (record: Upload) => Promise<boolean>;
};

/** What a sweep did: files removed (with their records), and records of taken uploads forgotten. */
export type UploadSweep = { removed: string[]; forgotten: string[] };

const isMissing = (error: unknown) => (error as { code?: string } | null)?.code === 'ENOENT';

/** Another instance may sweep the same directory at the same time: what it removed first is not an error. */
const statOf = (path: string) =>
  stat(path).then(
    (stats) => ({ bytes: stats.size, modifiedMs: stats.mtimeMs }),
    (error: unknown) => {
      if (isMissing(error)) return undefined;
      throw error;
    },
  );

export const sweepUploads = async (options: UploadSweepOptions): Promise<UploadSweep> => {
  const { directory, records, expiryMs, now } = options;
  const expiredBefore = now.getTime() - expiryMs;
  const sweep: UploadSweep = { removed: [], forgotten: [] };
  for (const name of await readdir(directory)) {
    const path = join(directory, name);
    if (name.endsWith('.part')) {
      const file = await statOf(path);
      if (file && file.modifiedMs < expiredBefore) {
        await rm(path, { force: true });
        sweep.removed.push(name);
      }
      continue;
    }
    // Upload files are named by their id alone; anything else (tus's own `.json` records) is not one.
    if (name.includes('.')) continue;
    const record = await records.get(name);
    if (!record?.creation_date || new Date(record.creation_date).getTime() >= expiredBefore) continue;
    const file = await statOf(path);
    const whole = file !== undefined && file.bytes === record.size;
    if (isTaken(record) || (whole && (await options.wasRecorded(record)))) {
      await records.delete(name);
      sweep.forgotten.push(name);
      continue;
    }
    await rm(path, { force: true });
    await records.delete(name);
    sweep.removed.push(name);
  }
  return sweep;
};
