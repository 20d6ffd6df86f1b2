import {
  assertCheckpointId,
  type Checkpoint,
  type CheckpointState,
  type CheckpointStore,
  type CheckpointStoreOptions,
  checkpointOf,
} from './checkpoint-store';

/** Checkpoints that last as long as the process: for a one-off rebuild nobody follows, and tests. */
export const createMemoryCheckpointStore = (options: CheckpointStoreOptions = {}): CheckpointStore => {
  const now = options.now ?? (() => new Date());
  // Kept as JSON, as the other adapters keep it: a caller's later change to `state` is not saved.
  const saved = new Map<string, string>();
  return {
    load: async <State extends CheckpointState>(id: string): Promise<Checkpoint<State> | undefined> => {
      const json = saved.get(id);
      if (json === undefined) return undefined;
      const { position, state, updatedAt } = JSON.parse(json) as { position: number; state?: State; updatedAt: number };
      return checkpointOf(id, position, state, new Date(updatedAt));
    },
    save: async (id, position, state) => {
      assertCheckpointId(id);
      saved.set(id, JSON.stringify({ position, state, updatedAt: now().getTime() }));
    },
    delete: async (id) => {
      saved.delete(id);
    },
    close: async () => {},
  };
};
