import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncFolder, writeFileDurably } from '../files/durable-files';
import {
  assertCheckpointId,
  type Checkpoint,
  type CheckpointState,
  type CheckpointStore,
  type CheckpointStoreOptions,
  checkpointOf,
} from './checkpoint-store';

/*
 * One JSON file per checkpoint in a folder on the host's own disk (an edge is another host).
 * A save writes a temporary file, flushes it, renames it over the old one and flushes the
 * folder, so a crash leaves the old checkpoint or the new one, never half of either.
 */

const stored = z.object({
  position: z.number().int().min(0),
  state: z.record(z.string(), z.unknown()).optional(),
  updatedAt: z.iso.datetime(),
});

export class CorruptCheckpointFile extends Error {
  readonly code = 'CorruptCheckpointFile';
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`The checkpoint file ${path} cannot be read (${why}); remove it to start that reaction from the beginning.`);
    this.name = 'CorruptCheckpointFile';
  }
}

export const openFileCheckpointStore = async (
  dir: string,
  options: CheckpointStoreOptions = {},
): Promise<CheckpointStore> => {
  const now = options.now ?? (() => new Date());
  await mkdir(dir, { recursive: true });
  const pathOf = (id: string) => {
    assertCheckpointId(id);
    return join(dir, `${id}.checkpoint.json`);
  };
  // Writes of one id one after another: two racing renames could put an older checkpoint last.
  const queues = new Map<string, Promise<void>>();
  const inTurn = (id: string, write: () => Promise<void>) => {
    const turn = (queues.get(id) ?? Promise.resolve()).catch(() => {}).then(write);
    queues.set(id, turn);
    return turn;
  };

  return {
    load: async <State extends CheckpointState>(id: string): Promise<Checkpoint<State> | undefined> => {
      const path = pathOf(id);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CorruptCheckpointFile(path, 'it is not JSON');
      }
      const parsed = stored.safeParse(json);
      if (!parsed.success) throw new CorruptCheckpointFile(path, parsed.error.issues[0]?.message ?? 'bad shape');
      const { position, state, updatedAt } = parsed.data;
      return checkpointOf(id, position, state as State | undefined, new Date(updatedAt));
    },
    save: async (id, position, state) => {
      const path = pathOf(id);
      const text = JSON.stringify({ position, state, updatedAt: now().toISOString() });
      return inTurn(id, async () => {
        await writeFileDurably(path, text);
        await syncFolder(dir);
      });
    },
    delete: async (id) => {
      const path = pathOf(id);
      return inTurn(id, async () => {
        await rm(path, { force: true });
        await syncFolder(dir);
      });
    },
    close: async () => {
      await Promise.allSettled(queues.values());
    },
  };
};
