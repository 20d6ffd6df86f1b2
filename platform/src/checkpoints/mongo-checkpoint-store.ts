import { MongoClient } from 'mongodb';
import { mongoDatabaseName } from '../view-store/mongo-view-store';
import {
  assertCheckpointId,
  type Checkpoint,
  type CheckpointState,
  type CheckpointStore,
  type CheckpointStoreOptions,
  checkpointOf,
} from './checkpoint-store';

/*
 * A `checkpoints` collection of { _id, position, state?, updatedAt }. A save replaces one
 * document, which MongoDB does atomically, so the position and state always go together.
 */

type Stored = { _id: string; position: number; state?: CheckpointState; updatedAt: Date };
/** Where the view store kept projections' checkpoints before they had their own port. */
type Legacy = { _id: string; position: number; version: number; updatedAt: Date };

export const openMongoCheckpointStore = async (
  url: string,
  options: CheckpointStoreOptions = {},
): Promise<CheckpointStore> => {
  const now = options.now ?? (() => new Date());
  const client = new MongoClient(url, { ignoreUndefined: true });
  await client.connect();
  try {
    const db = client.db(mongoDatabaseName(url));
    const checkpoints = db.collection<Stored>('checkpoints');
    // Carried over once; $setOnInsert never overwrites one saved since, so starting twice is harmless.
    const legacy = await db.collection<Legacy>('_checkpoints').find().toArray();
    if (legacy.length > 0) {
      await checkpoints.bulkWrite(
        legacy.map(({ _id, position, version, updatedAt }) => ({
          updateOne: {
            filter: { _id },
            update: { $setOnInsert: { position, state: { version }, updatedAt } },
            upsert: true,
          },
        })),
      );
      await db.collection('_checkpoints').drop();
    }
    return {
      load: async <State extends CheckpointState>(id: string): Promise<Checkpoint<State> | undefined> => {
        const entry = await checkpoints.findOne({ _id: id });
        if (!entry) return undefined;
        return checkpointOf(id, entry.position, entry.state as State | undefined, entry.updatedAt);
      },
      save: async (id, position, state) => {
        assertCheckpointId(id);
        // A replacement, so a save without state drops the state an earlier save kept.
        await checkpoints.replaceOne(
          { _id: id },
          state === undefined ? { position, updatedAt: now() } : { position, state, updatedAt: now() },
          { upsert: true },
        );
      },
      delete: async (id) => {
        await checkpoints.deleteOne({ _id: id });
      },
      close: async () => {
        await client.close();
      },
    };
  } catch (error) {
    await client.close();
    throw error;
  }
};
